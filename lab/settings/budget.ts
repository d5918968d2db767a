import { invalid, setting, valid } from "./declaration";
import { readAddressList } from "./roster";

/** Largest monthly budget accepted: far above any lab, low enough to catch a typo of many zeros. */
export const MAX_BUDGET = 10_000_000;

/** Addresses one budget alert may go to (the Consumption API's limit on contactEmails). */
export const MAX_BUDGET_EMAILS = 50;

/** The monthly budget and who hears about it; `budget` unset: no budget. */
export const BUDGET_SETTINGS = {
  budget: setting({
    env: "LAB_BUDGET",
    scope: "lab",
    documentedDefault: "unset",
    parse(raw) {
      if (raw === undefined) return valid<number | undefined>(undefined);
      const amount = Number(raw);
      // The provider refuses less than 1 (azurerm consumption_budget_base.go: FloatAtLeast(1.0)).
      if (/^\d+(\.\d{1,2})?$/.test(raw) && amount >= 1 && amount <= MAX_BUDGET)
        return valid<number | undefined>(amount);
      return invalid(
        `must be a monthly amount from 1 to ${MAX_BUDGET} in the subscription's billing currency, with at most two decimals (for example 150 or 99.50), no currency sign or thousands separator.`,
        "set LAB_BUDGET to what the lab may cost a month (`npm run cost` prices an hour), or unset it for no budget.",
      );
    },
  }),

  budgetEmails: setting({
    env: "LAB_BUDGET_EMAILS",
    scope: "lab",
    documentedDefault: "unset",
    parse(raw) {
      if (raw === undefined) return valid<readonly string[]>([]);
      const { emails, wrong, wrongList } = readAddressList(raw);
      if (wrong.length === 0 && emails.length <= MAX_BUDGET_EMAILS) return valid<readonly string[]>(emails);
      return invalid(
        wrong.length > 0
          ? `must be e-mail addresses separated by commas; ${wrongList}.`
          : `names ${emails.length} addresses; a budget alert goes to at most ${MAX_BUDGET_EMAILS}.`,
        "set LAB_BUDGET_EMAILS=you@example.org,colleague@example.org (a distribution list counts as one).",
      );
    },
  }),
};
