#!/usr/bin/env node
// node scripts/keep-azure-cli-signed-in.js --once   sign in now (the step waits; exit 1 on failure)
// node scripts/keep-azure-cli-signed-in.js &        then again every few minutes, until stopped
// (in a GitHub Actions job with id-token: write)
//
// Keeps the Azure CLI signed in for as long as a deploy or destroy runs. In the workflow the
// databricks provider signs in through the CLI (DATABRICKS_AUTH_TYPE=azure-cli): databricks-sdk-go
// v0.93.0 runs `az account get-access-token` each time its Entra token runs out
// (config/auth_azure_cli.go, azureCliTokenSource.Token). After azure/login the CLI's only credential
// is the GitHub ID token it was given, which GitHub issues for minutes; Entra tokens last about an
// hour, so without this a class deploy longer than that fails part-way with AADSTS700024 ("client
// assertion is not within its valid time range"). Every few minutes this asks GitHub for a fresh ID
// token and signs the CLI in again with it. A failed round is reported and tried again at the next
// one: the current sign-in is still good until its token runs out.
//
// Settings (the job's environment): ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN
// (GitHub sets them with id-token: write), ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID;
// DP090_SIGN_IN_INTERVAL_SECONDS (default 240: the ID tokens GitHub issues are seen to expire
// after 5 minutes; GitHub does not document their lifetime).
"use strict";
const { execFileSync } = require("node:child_process");

const env = process.env;
const missing = [
  "ACTIONS_ID_TOKEN_REQUEST_URL",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "ARM_CLIENT_ID",
  "ARM_TENANT_ID",
  "ARM_SUBSCRIPTION_ID",
].filter((name) => !env[name]);
if (missing.length > 0) {
  console.error(
    `keep-azure-cli-signed-in: ${missing.join(", ")} not set; the job needs id-token: write and the ARM_* variables.`,
  );
  process.exit(1);
}
const interval = Number(env.DP090_SIGN_IN_INTERVAL_SECONDS ?? 240) * 1000;

/** A fresh ID token for Entra ID's token exchange, from the job's OIDC endpoint. */
async function idToken() {
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  url.searchParams.set("audience", "api://AzureADTokenExchange");
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`GitHub's ID token endpoint answered HTTP ${response.status}`);
  const { value } = await response.json();
  if (typeof value !== "string" || value === "") throw new Error("GitHub's ID token endpoint sent no token");
  return value;
}

async function signIn() {
  const token = await idToken();
  const az = (args) => execFileSync("az", [...args, "--output", "none"], { stdio: ["ignore", "ignore", "pipe"] });
  az([
    "login",
    "--service-principal",
    "--username",
    env.ARM_CLIENT_ID,
    "--tenant",
    env.ARM_TENANT_ID,
    "--federated-token",
    token,
  ]);
  az(["account", "set", "--subscription", env.ARM_SUBSCRIPTION_ID]);
}

async function round() {
  try {
    await signIn();
  } catch (error) {
    // The token never reaches the log: az's stderr is its own message, the endpoint's is a status.
    const detail = error.stderr ? String(error.stderr).trim() : error.message;
    console.log(`::warning::Could not renew the Azure CLI sign-in (tried again in ${interval / 1000} s): ${detail}`);
  }
  setTimeout(round, interval);
}

if (process.argv.includes("--once")) {
  // Before Terraform starts: azure/login's ID token may be older than GitHub lets it be used.
  signIn().catch((error) => {
    console.error(`Could not sign the Azure CLI in: ${error.stderr ? String(error.stderr).trim() : error.message}`);
    process.exitCode = 1;
  });
} else {
  setTimeout(round, interval);
  process.on("SIGTERM", () => process.exit(0));
}
