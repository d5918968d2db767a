import { clusterNodes } from "../../catalog/lab-variant";
import { capped } from "../../errors";
import { formatWarning } from "../../settings";
import { CHECK, CheckResult, PreflightContext } from "./check";

/** The settings load: every problem with its setting, value and fix. */
export function checkSettings({ settings, settingsError, settingsWarnings }: PreflightContext): CheckResult[] {
  if (settings) {
    const summary = `${settings.name}: ${settings.variant.name} cluster, ${clusterNodes(settings.workers)} x ${settings.nodeType} in ${settings.location}`;
    if (settingsWarnings.length === 0) return [{ check: CHECK.settings, status: "pass", detail: summary }];
    return [
      {
        check: CHECK.settings,
        status: "warn",
        detail: [summary, ...settingsWarnings.map(formatWarning)].join("\n"),
        fix: "the warnings above are the ones synth gives; they block nothing, but say what to change.",
      },
    ];
  }
  // The one cap of every list of problems: a roster of a million bad lines is a screenful here too.
  const { shown, more } = capped(settingsError?.problems ?? []);
  const rest = more > 0 ? [`${more} more problem${more === 1 ? "" : "s"}, not listed.`] : [];
  return [
    {
      check: CHECK.settings,
      status: "fail",
      detail: [
        ...shown.map((p) => `${p.setting}${p.value === undefined ? "" : `=${p.value}`}: ${p.problem}`),
        ...rest,
      ].join("\n"),
      fix: [...new Set(shown.map((p) => p.fix))].join("\n"),
    },
  ];
}
