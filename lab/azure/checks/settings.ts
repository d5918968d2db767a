import { clusterNodes } from "../../catalog/cluster-flavor";
import { CHECK, CheckResult, PreflightContext } from "./check";

/** The settings load: every problem with its setting, value and fix. */
export function checkSettings({ settings, settingsError }: PreflightContext): CheckResult[] {
  if (settings) {
    return [
      {
        check: CHECK.settings,
        status: "pass",
        detail: `${settings.name}: ${settings.flavor.name} cluster, ${clusterNodes(settings.workers)} x ${settings.nodeType} in ${settings.location}`,
      },
    ];
  }
  const problems = settingsError?.problems ?? [];
  return [
    {
      check: CHECK.settings,
      status: "fail",
      detail: problems.map((p) => `${p.setting}${p.value === undefined ? "" : `=${p.value}`}: ${p.problem}`).join("\n"),
      fix: problems.map((p) => p.fix).join("\n"),
    },
  ];
}
