import { makeStyles, tokens } from "@fluentui/react-components";

export const useShellStyles = makeStyles({
  shell: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1, overflowX: "hidden" },
  // Teams' high-contrast theme draws subtle buttons as bare text, which reads as a label or as
  // disabled: every enabled button gets the theme's stroke so it looks like something to press.
  contrast: {
    "& .fui-Button:enabled:not([aria-disabled='true'])": {
      borderTopColor: tokens.colorNeutralStroke1,
      borderRightColor: tokens.colorNeutralStroke1,
      borderBottomColor: tokens.colorNeutralStroke1,
      borderLeftColor: tokens.colorNeutralStroke1,
    },
    "@media (forced-colors: active)": {
      "& .fui-Button:enabled:not([aria-disabled='true'])": {
        borderTopColor: "ButtonBorder",
        borderRightColor: "ButtonBorder",
        borderBottomColor: "ButtonBorder",
        borderLeftColor: "ButtonBorder",
      },
    },
  },
  main: { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 },
  centered: { padding: tokens.spacingVerticalXXL, display: "flex", justifyContent: "center" },
});
