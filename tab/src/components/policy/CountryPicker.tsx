/**
 * A country picker: countries by name in the person's language (Intl.DisplayNames), searched as
 * typed (accents and case ignored), chosen ones shown as removable tags. Keeps ISO 3166 codes.
 */
import { useI18n } from "../../i18n";
import { Tag, TagPicker, TagPickerControl, TagPickerGroup, TagPickerInput, TagPickerList, TagPickerOption, makeStyles, type TagPickerProps } from "@fluentui/react-components";
import { useMemo, useState } from "react";

/** Two-letter codes Intl knows as places, without groupings (EU, UN…) and the unknown region. */
const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"]);

export function countryNames(locale: string): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([locale], { type: "region", fallback: "none" });
  const collator = new Intl.Collator(locale);
  const list: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      // Deprecated codes (DD East Germany, YU, SU…) canonicalise to another: only today's countries.
      if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
      const name = names.of(code);
      if (name && name !== code) list.push({ code, name });
    }
  }
  return list.sort((x, y) => collator.compare(x.name, y.name));
}

const useStyles = makeStyles({
  // Fluent's control keeps a minimum width of its own (250 px): in a 320 px panel's exception it went past the edge.
  control: { minWidth: 0, maxWidth: "100%", boxSizing: "border-box" },
});

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

export function CountryPicker({
  value,
  onChange,
  locale,
  disabled,
  label,
  testId,
}: {
  value: string[];
  onChange: (codes: string[]) => void;
  locale: string;
  disabled?: boolean;
  label: string;
  testId?: string;
}) {
  const { say } = useI18n();
  const styles = useStyles();
  const [query, setQuery] = useState("");
  const all = useMemo(() => countryNames(locale), [locale]);
  const nameOf = useMemo(() => new Map(all.map((c) => [c.code, c.name])), [all]);
  const matches = useMemo(() => {
    const q = fold(query.trim());
    return all.filter((c) => !value.includes(c.code) && (!q || fold(c.name).includes(q) || c.code.toLowerCase() === q)).slice(0, 50);
  }, [all, query, value]);
  const onOptionSelect: TagPickerProps["onOptionSelect"] = (_, data) => {
    if (data.value === "no-options") return;
    onChange(data.selectedOptions);
    setQuery("");
  };
  return (
    <TagPicker onOptionSelect={onOptionSelect} selectedOptions={value} disabled={disabled} size="medium">
      <TagPickerControl className={styles.control} data-testid={testId}>
        <TagPickerGroup aria-label={say("policy.countries.selected")}>
          {value.map((code) => (
            <Tag key={code} shape="rounded" value={code} dismissIcon={{ "aria-label": say("policy.countries.remove", { country: nameOf.get(code) ?? code }) }}>
              {nameOf.get(code) ?? code}
            </Tag>
          ))}
        </TagPickerGroup>
        <TagPickerInput
          aria-label={label}
          placeholder={value.length ? undefined : say("policy.countries.search")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid={testId ? `${testId}-search` : undefined}
        />
      </TagPickerControl>
      <TagPickerList>
        {matches.length > 0 ? (
          matches.map((c) => (
            <TagPickerOption key={c.code} value={c.code} secondaryContent={c.code}>
              {c.name}
            </TagPickerOption>
          ))
        ) : (
          <TagPickerOption value="no-options">{say("policy.countries.none", { query })}</TagPickerOption>
        )}
      </TagPickerList>
    </TagPicker>
  );
}
