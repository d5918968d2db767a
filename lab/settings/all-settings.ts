import { BUDGET_SETTINGS } from "./budget";
import { CLASSROOM_SETTINGS } from "./classroom";
import { ValuesOf } from "./declaration";
import { ENVIRONMENT_SETTINGS, LAB_SETTINGS } from "./lab-settings";
import { NOTEBOOK_SETTINGS } from "./notebook-source";
import { PRICING_SETTINGS } from "./pricing";
import { REMOTE_STATE_SETTINGS } from "./remote-state";

/** Every setting, in the order the README lists them and problems are reported. */
export const ALL_SETTINGS = {
  ...LAB_SETTINGS,
  ...NOTEBOOK_SETTINGS,
  ...CLASSROOM_SETTINGS,
  ...BUDGET_SETTINGS,
  ...REMOTE_STATE_SETTINGS,
  ...ENVIRONMENT_SETTINGS,
  ...PRICING_SETTINGS,
};

/** The value of every setting, by key, as `loadSettings` parses them. */
export type SettingValues = ValuesOf<typeof ALL_SETTINGS>;

/** A setting's key in `ALL_SETTINGS` (`variant` for LAB_VARIANT). */
export type SettingKey = keyof SettingValues;
