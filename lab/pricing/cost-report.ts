import type { CostEstimate } from "./cost-estimate";

/** The estimate as a person reads it in a terminal. */
export function formatCostReport(e: CostEstimate): string {
  const money = (v: number, digits = 3) => v.toFixed(digits);
  const header = [
    "role",
    "VM size",
    "count",
    "DBU/h/node",
    `${e.currency}/DBU`,
    `VM ${e.currency}/h/node`,
    `${e.currency}/h`,
  ];
  const rows = e.nodes.map((n) => [
    n.role,
    n.vmSize,
    String(n.count),
    String(n.dbuPerHourPerNode),
    money(n.pricePerDbu),
    money(n.vmPricePerHour),
    money(n.costPerHour),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const sourceLabel =
    e.source === "snapshot"
      ? "bundled snapshot (no live prices)"
      : e.source === "live"
        ? "live prices"
        : "live prices and the bundled snapshot";
  return [
    `Cost estimate for lab ${e.lab.name}: ${e.lab.variant} cluster in ${e.lab.location}, ${e.lab.sku} workspace (${e.currency}, ${sourceLabel})`,
    "",
    line(header),
    ...rows.map(line),
    "",
    ...e.fixed.map((f) => `fixed: ${f.item}: ${money(f.costPerHour)} ${e.currency}/h`),
    "",
    `Cluster while running:            ${money(e.perHour.cluster)} ${e.currency}/h`,
    ...(e.class
      ? [
          `Class (${e.class.compute}): ${e.class.students} students x ${e.class.nodesPerStudent} node(s) = ${money(e.class.perStudentPerHour)} ${e.currency}/h per student, ${money(e.class.perHour)} ${e.currency}/h for the class${e.class.compute === "policy" ? " if every student starts their cluster" : ""}`,
        ]
      : []),
    `Fixed while the workspace exists: ${money(e.perHour.fixed)} ${e.currency}/h`,
    `Total while the ${e.class ? "clusters run: " : "cluster runs:  "}   ${money(e.perHour.total)} ${e.currency}/h`,
    `Session: ${e.session.hours} h of use + ${e.session.autoterminationTailHours} h auto-termination tail = ${money(e.session.total, 2)} ${e.currency}`,
    ...(e.budget
      ? [
          e.budget.runningHours > 0
            ? `Budget: ${money(e.budget.amount, 2)} ${e.currency}/month (LAB_BUDGET) covers ${money(e.budget.fixedPerMonth, 2)} ${e.currency} of fixed costs and about ${e.budget.runningHours} h of the cluster${e.class ? "s" : ""} running (${money(e.perHour.total - e.perHour.fixed)} ${e.currency}/h)`
            : `Budget: ${money(e.budget.amount, 2)} ${e.currency}/month (LAB_BUDGET) does not cover the fixed costs alone (${money(e.budget.fixedPerMonth, 2)} ${e.currency}/month): the first alert comes before any cluster runs`,
          "  (Azure counts a budget in the subscription's billing currency: set LAB_CURRENCY to it so the two compare.)",
        ]
      : []),
    "",
    "Where the prices come from:",
    ...(e.liveError ? [`  (live prices could not be read from the Retail Prices API: ${e.liveError})`] : []),
    `  DBU price:      ${e.prices.dbu.note}`,
    `  VM price:       ${e.prices.vm.note}`,
    `  NAT gateway:    ${e.prices.natGateway.note}`,
    `  Public IP:      ${e.prices.publicIp.note}`,
    `  DBU per hour:   ${e.dbuSource}`,
    "",
    "Caveats:",
    ...e.caveats.map((c) => `  - ${c}`),
  ].join("\n");
}
