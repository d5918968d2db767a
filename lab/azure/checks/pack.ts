import { PreflightCheck } from "./check";
import { checkDeployedLab } from "./deployed-lab";
import { checkLabUser } from "./lab-user";
import { checkLogin } from "./login";
import { checkNode } from "./node";
import { checkOwnAddress } from "./own-address";
import { checkResourceProvider } from "./resource-provider";
import { checkRosterAndYou } from "./roster-and-you";
import { checkSettings } from "./settings";
import { checkStateStorage } from "./state-storage";
import { checkSubscription } from "./subscription";
import { checkTerraform } from "./terraform";
import { checkVmCapacity } from "./vm-capacity";

/** Every check of `npm run preflight`, in the order of the report. A new check is a file here and a line. */
export const PREFLIGHT_CHECKS: readonly PreflightCheck[] = [
  checkNode,
  checkTerraform,
  checkSettings,
  checkDeployedLab,
  checkLogin,
  checkOwnAddress,
  checkRosterAndYou,
  checkSubscription,
  checkLabUser,
  checkResourceProvider,
  checkStateStorage,
  checkVmCapacity,
];
