/**
 * The tab's reads through TanStack Query: one key per API resource, one hook per read. The cache
 * gives every page the same answer (the overview and the usage page share the account), retries,
 * loading and error states; writes go through useMutation and invalidate what they changed.
 * Hydration: the server's first frame (`seedQueries`) and the boot script's answers
 * (`hydrateFromBoot`) seed the cache, so the first render draws the page instead of a skeleton
 * and nothing the boot script asked for is asked again.
 */
import { QueryClient, useInfiniteQuery, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback } from "react";
import type { AccountView, MeAnswer, Page } from "@cc/common";
import type { BootAnswer } from "../first-frame/show";
import { ApiError } from "./client";
import { useApi } from "./context";
import type { CreditsApi, UsageGroupBy, UsageRange } from "./credits";

export const keys = {
  me: ["me"] as const,
  account: ["account"] as const,
  forecast: ["account", "forecast"] as const,
  impact: ["account", "impact"] as const,
  recommendation: ["account", "recommendation"] as const,
  paymentMethods: ["payment-methods"] as const,
  ledger: ["ledger"] as const,
  users: ["users"] as const,
  guard: ["guard"] as const,
  notifications: ["notifications"] as const,
  notificationSettings: ["notification-settings"] as const,
  botMessages: ["bot-messages"] as const,
  graphOutbox: ["graph-outbox"] as const,
  groups: ["groups"] as const,
  budgets: ["budgets"] as const,
  departmentSummary: (range: UsageRange) => ["usage", "departments", range] as const,
  usageSummary: (range: UsageRange, groupBy: UsageGroupBy) => ["usage", "summary", range, groupBy] as const,
  usageRecords: (range: UsageRange) => ["usage", "records", range] as const,
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError({ type: "about:blank", title: "Something went wrong", status: 0, detail: err instanceof Error ? err.message : String(err) });
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Answers stay fresh for 30 s: switching pages does not ask again; a page's Refresh does.
      // No retries here: the ApiClient already retries a read that may succeed (network, 5xx, 429).
      queries: { staleTime: 30_000, retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** Answers already in hand before the first render (the server's first frame, the boot script's reads). */
export function seedQueries(client: QueryClient, known: { me?: MeAnswer; account?: AccountView }): void {
  if (known.me) client.setQueryData(keys.me, known.me);
  if (known.account) client.setQueryData(keys.account, known.account);
}

/** A boot answer older than this is not used: the app asks afresh. */
const BOOT_FRESH_MS = 10_000;

/**
 * The boot script's answers (first-frame/show.ts) into a new cache, for the caller and language
 * they were asked with and while fresh: one that has arrived is the query's data (the
 * first render draws with it); one still on its way is the query's fetch under way, which the
 * page's useQuery joins instead of asking again (it falls back to asking when that one failed).
 */
export function hydrateFromBoot(client: QueryClient, api: CreditsApi, answers: Map<string, BootAnswer>, caller: { token: string | null; language: string }): void {
  const reads: [string, QueryKey, () => Promise<unknown>][] = [
    ["/api/v1/me", keys.me, () => api.me()],
    ["/api/v1/account", keys.account, () => api.account()],
  ];
  for (const [path, queryKey, read] of reads) {
    // Not taken out of the map: React's strict mode builds the cache twice in development, and both must see it.
    const answer = answers.get(path);
    if (!answer || answer.token !== caller.token || answer.language !== caller.language || Date.now() - answer.at > BOOT_FRESH_MS) continue;
    if (answer.arrived) client.setQueryData(queryKey, answer.arrived.value, { updatedAt: answer.at });
    else void client.prefetchQuery({ queryKey, queryFn: async () => (await answer.body) ?? read() });
  }
}

/** A read through the API with errors typed as ApiError. */
function useApiQuery<T>(queryKey: QueryKey, read: (api: CreditsApi) => Promise<T>, enabled = true) {
  const api = useApi();
  return useQuery<T, ApiError>({ queryKey, queryFn: async () => read(api).catch((err: unknown) => Promise.reject(toApiError(err))), enabled });
}

export const useMeQuery = (enabled: boolean) => useApiQuery(keys.me, (api) => api.me(), enabled);
export const useAccount = () => useApiQuery(keys.account, (api) => api.account());
export const useForecast = () => useApiQuery(keys.forecast, (api) => api.forecast());
export const useImpact = () => useApiQuery(keys.impact, (api) => api.impact());
export const useRecommendation = () => useApiQuery(keys.recommendation, (api) => api.recommendation());
export const usePaymentMethods = () => useApiQuery(keys.paymentMethods, (api) => api.paymentMethods());
export const useUsers = () => useApiQuery(keys.users, (api) => api.users());
export const useGuard = () => useApiQuery(keys.guard, (api) => api.guard());
export const useNotificationSettings = () => useApiQuery(keys.notificationSettings, (api) => api.notificationSettings());
export const useBotMessages = () => useApiQuery(keys.botMessages, (api) => api.botMessages());
/** What the local Graph received (dev only): e-mails and activity feed items. */
export const useGroups = (enabled: boolean) => useApiQuery(keys.groups, (api) => api.groups(), enabled);
export const useBudgets = () => useApiQuery(keys.budgets, (api) => api.budgets());
export const useDepartmentSummary = (range: UsageRange) => useApiQuery(keys.departmentSummary(range), (api) => api.departmentSummary(range));
export const useGraphOutbox = () => useApiQuery(keys.graphOutbox, (api) => api.graphOutbox());
/** A number's rate, once asked for (null: nothing asked yet). */
export const useRate = (number: string | null) => useApiQuery(["rate", number], (api) => api.rate(number ?? ""), number !== null);
export const useUsageSummary = (range: UsageRange, groupBy: UsageGroupBy, enabled = true) =>
  useApiQuery(keys.usageSummary(range, groupBy), (api) => api.usageSummary(range, groupBy), enabled);

/** A cursor-paged list ({ items, next }) as one infinite query: `fetchNextPage` appends, `refetch` starts over. */
export function usePagedQuery<T>(queryKey: QueryKey, readPage: (api: CreditsApi, cursor: string | null) => Promise<Page<T>>) {
  const api = useApi();
  const query = useInfiniteQuery<Page<T>, ApiError>({
    queryKey,
    queryFn: ({ pageParam }) => readPage(api, pageParam as string | null).catch((err: unknown) => Promise.reject(toApiError(err))),
    initialPageParam: null,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, items };
}

/**
 * The account the API just answered (after a write): shown at once, and what derives from it
 * (forecast, recommendation, impact) asked again.
 */
export function useAccountAnswered() {
  const client = useQueryClient();
  return useCallback(
    (account: AccountView) => {
      client.setQueryData(keys.account, account);
      void client.invalidateQueries({ queryKey: keys.account, predicate: (q) => q.queryKey.length > 1 });
    },
    [client],
  );
}

/** Ask again for the account and what derives from it (a page's Refresh, a payment: its ledger entry too). */
export function useRefreshAccount() {
  const client = useQueryClient();
  return useCallback(() => {
    void client.invalidateQueries({ queryKey: keys.account });
    void client.invalidateQueries({ queryKey: keys.ledger });
  }, [client]);
}
