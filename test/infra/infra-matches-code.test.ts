/**
 * The Azure and toolkit files, checked against the code they deploy. No Bicep compiler or toolkit
 * runs here, so the templates are read as text and data: what the code needs (settings from
 * src/config.ts, containers from cosmos-containers.ts, the SSO audience from the Teams manifest)
 * is derived from the code itself, so a new setting or container with no infra fails this test.
 */
import { routes } from "../../src/contract/routes.js";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { CONTAINERS } from "../../src/adapters/cosmos/cosmos-containers.js";
import { loadConfig } from "../../src/config.js";
import { buildManifest, fillTemplate, packageVariables } from "../../appPackage/build-package.js";
import { BicepExpr, BicepFile, BicepLoop, isObject, toPlain, type BicepObject, type BicepValue } from "./bicep-reader.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
// Microsoft Graph application permission (app role) ids, from the Graph permissions reference.
const TEAMS_ACTIVITY_SEND = "a267235f-af13-44dc-8385-c1dc93023186";
const MAIL_SEND = "b633e1c5-b582-4048-a93e-9f11b44c7e96";
// The role directory sync: the service principal's app role assignments, and mapped groups' members.
const APPLICATION_READ_ALL = "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30";
const GROUP_MEMBER_READ_ALL = "98830695-27a2-44f7-8c18-0c3ebc9698f6";
// Teams desktop/mobile and Teams web, which ask for the tab's SSO token.
const TEAMS_CLIENTS = ["1fec8e78-bce4-4aaf-ab1b-5451cc387264", "5e3ce6c0-2b1f-4285-8d4b-75ee78787346"];

/** The environment keys src/config.ts parses: the property names of its envSchema object. */
function configSettingNames(source: string): string[] {
  const start = source.search(/const envSchema = z\.object\(\{/);
  assert.ok(start >= 0, "src/config.ts has no `const envSchema = z.object({`");
  const end = source.indexOf("\n});", start);
  const body = source.slice(start, end);
  return [...body.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
}

/** Settings read straight from process.env anywhere under src/ (e.g. LOG_LEVEL in the logger). */
function processEnvNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith(".ts"))
    .flatMap((d) => [...readFileSync(path.join(d.parentPath, d.name), "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
}

/** What production needs: every setting the configuration parses, and anything read directly. */
function productionSettingNames(): string[] {
  return [...new Set([...configSettingNames(read("src/config.ts")), ...processEnvNames(path.join(ROOT, "src"))])].sort();
}

const SECRET_NAME = /(_KEY|_SECRET|_PASSWORD|_CONNECTION_STRING)$/;
const KEY_VAULT_REFERENCE = /^'@Microsoft\.KeyVault\(SecretUri=\$\{(\w+)\.properties\.secretUri\}\)'$/;

function appSettings(bicep: BicepFile): BicepObject {
  const configs = bicep.resources().filter((r) => r.type === "Microsoft.Web/sites/config");
  const settings = configs.find((r) => isObject(r.body) && r.body.name === "appsettings");
  assert.ok(settings && isObject(settings.body), "infra/azure.bicep has no Microsoft.Web/sites/config 'appsettings'");
  const props = settings.body.properties;
  assert.ok(isObject(props), "the appsettings resource has no properties object");
  return props;
}

/** Where each app setting must come from: a Key Vault secret declared in the same file for secrets. */
function settingProblems(bicep: BicepFile, names: readonly string[]): string[] {
  const settings = appSettings(bicep);
  const secrets = new Set(
    bicep
      .resources()
      .filter((r) => r.type === "Microsoft.KeyVault/vaults/secrets")
      .map((r) => r.name),
  );
  const problems: string[] = [];
  for (const name of names) {
    if (!Object.hasOwn(settings, name)) {
      problems.push(`${name} is not an app setting of the web app`);
      continue;
    }
    const value = settings[name];
    if (!SECRET_NAME.test(name)) continue;
    const ref = value instanceof BicepExpr ? KEY_VAULT_REFERENCE.exec(value.text) : null;
    if (!ref) problems.push(`${name} is a secret but not a @Microsoft.KeyVault(SecretUri=...) reference`);
    else if (!secrets.has(ref[1])) problems.push(`${name} refers to ${ref[1]}, which is not a Key Vault secret in the file`);
  }
  return problems;
}

/** Each container of the code, as the Bicep declares it; differences named by container. */
function containerProblems(bicep: BicepFile): string[] {
  const declared = bicep.variable("cosmosContainers");
  assert.ok(Array.isArray(declared), "var cosmosContainers is not an array");
  const byName = new Map(declared.filter(isObject).map((c) => [String(c.name), c]));
  const problems: string[] = [];
  for (const def of Object.values(CONTAINERS)) {
    const c = byName.get(def.id);
    if (!c) {
      problems.push(`container ${def.id} is not declared`);
      continue;
    }
    const want = {
      partitionKey: def.partitionKey.paths,
      defaultTtl: "defaultTtl" in def ? def.defaultTtl : undefined,
      indexingPolicy: def.indexingPolicy,
    };
    const got = { partitionKey: [c.partitionKey], defaultTtl: c.defaultTtl, indexingPolicy: toPlain(c.indexingPolicy as BicepValue) };
    for (const key of Object.keys(want) as (keyof typeof want)[]) {
      try {
        assert.deepStrictEqual(JSON.parse(JSON.stringify(got[key] ?? null)), JSON.parse(JSON.stringify(want[key] ?? null)));
      } catch {
        problems.push(`container ${def.id}: ${key} is ${JSON.stringify(got[key])}, the code has ${JSON.stringify(want[key])}`);
      }
    }
  }
  for (const name of byName.keys()) {
    if (!Object.values(CONTAINERS).some((d) => d.id === name)) problems.push(`container ${name} is declared but the code has no such container`);
  }
  return problems;
}

/** The top-level stages of a toolkit YAML file and the actions (`- uses:`) in each, in order. */
function toolkitStages(yaml: string): Map<string, { uses: string; text: string }[]> {
  const stages = new Map<string, { uses: string; text: string }[]>();
  let current: { uses: string; text: string }[] | undefined;
  for (const line of yaml.split("\n")) {
    const top = /^([A-Za-z]\w*):/.exec(line);
    if (top) {
      current = [];
      stages.set(top[1], current);
      continue;
    }
    const step = /^\s*- uses:\s*(\S+)/.exec(line);
    if (step && current) current.push({ uses: step[1], text: "" });
    else if (current?.length) current[current.length - 1].text += `${line}\n`;
  }
  return stages;
}

describe("infra matches the code", () => {
  const bicep = new BicepFile(read("infra/azure.bicep"));

  describe("web app settings", () => {
    const names = productionSettingNames();

    it("finds the settings in src/config.ts itself, so a new one cannot be missed", () => {
      // A parse that found nothing would make every later check pass; these are the parts' anchors.
      for (const anchor of ["COSMOS_ENDPOINT", "BLOB_CONNECTION_STRING", "GRAPH_BASE_URL", "AUTH_AUTHORITY", "BOT_PASSWORD", "LOG_LEVEL"]) {
        assert.ok(names.includes(anchor), `${anchor} not found in src/`);
      }
      assert.ok(names.length >= 20, `only ${names.length} settings found`);
    });

    it("gives the web app every setting src/config.ts reads, secrets as Key Vault references", () => {
      assert.deepEqual(settingProblems(bicep, names), []);
    });

    it("would notice a missing setting or a secret given in plain text", () => {
      const source = read("infra/azure.bicep");
      const withoutGraph = new BicepFile(source.replace(/^\s*GRAPH_ALERTS_MAILBOX:.*\n/m, ""));
      assert.deepEqual(settingProblems(withoutGraph, names), ["GRAPH_ALERTS_MAILBOX is not an app setting of the web app"]);
      const plainPassword = new BicepFile(source.replace(/^(\s*BOT_PASSWORD:).*$/m, "$1 botAadAppClientSecret"));
      assert.deepEqual(settingProblems(plainPassword, names), ["BOT_PASSWORD is a secret but not a @Microsoft.KeyVault(SecretUri=...) reference"]);
    });

    it("gives a production configuration, with the database and container names the code defaults to", () => {
      const settings = appSettings(bicep);
      const params = new Map(bicep.params().map((p) => [p.name, p]));
      const defaults = loadConfig({}, ROOT);
      const paramDefault = (name: string) => new RegExp(`^param ${name} string = '([^']*)'`, "m").exec(bicep.source)?.[1];
      assert.equal((settings.COSMOS_DATABASE as BicepExpr).text, "cosmosDatabaseName");
      assert.equal(paramDefault("cosmosDatabaseName"), defaults.cosmos.databaseId);
      assert.equal((settings.BLOB_CONTAINER as BicepExpr).text, "blobContainerName");
      assert.equal(paramDefault("blobContainerName"), defaults.blob.container);
      const evidence = bicep.resource("evidenceContainer").body as BicepObject;
      assert.equal((evidence.name as BicepExpr).text, "blobContainerName");
      // Listening publicly is allowed only with every part configured; the web app must say 0.0.0.0.
      assert.equal(settings.HOST, "0.0.0.0");
      assert.equal(settings.PORT, settings.WEBSITES_PORT);
      for (const secret of ["aadAppClientSecret", "botAadAppClientSecret"])
        assert.equal(params.get(secret)?.secure, true, `${secret} is not @secure()`);
    });

    it("runs Node 20 with npm start on several instances", () => {
      const site = bicep.resource("webApp").body as BicepObject;
      const siteConfig = (site.properties as BicepObject).siteConfig as BicepObject;
      assert.equal(siteConfig.linuxFxVersion, "NODE|20-lts");
      assert.equal(siteConfig.appCommandLine, "npm start");
      assert.ok(JSON.parse(read("package.json")).scripts.start, "package.json has no start script");
      // The health route as the contract declares it (the server mounts every contract route).
      assert.equal(siteConfig.healthCheckPath, routes.health.path);
      const plan = bicep.resource("plan").body as BicepObject;
      assert.equal(((plan.sku as BicepObject).capacity as BicepExpr).text, "webAppInstanceCount");
      assert.match(bicep.source, /@minValue\(2\)\n@description\([^\n]*\)\nparam webAppInstanceCount int = 2/);
    });
  });

  describe("Cosmos DB", () => {
    it("declares every container of cosmos-containers.ts with its partition key, TTL and indexing policy", () => {
      assert.deepEqual(containerProblems(bicep), []);
    });

    it("creates each declared container from its declaration", () => {
      const resource = bicep.resource("cosmosContainer");
      assert.equal(resource.type, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
      assert.ok(
        resource.body instanceof BicepLoop && resource.body.source === "cosmosContainers",
        "containers are not one loop over cosmosContainers",
      );
      const c = resource.body.item;
      const r = ((resource.body.body as BicepObject).properties as BicepObject).resource as BicepObject;
      assert.deepEqual(toPlain(r), {
        id: { expression: `${c}.name` },
        partitionKey: { paths: [{ expression: `${c}.partitionKey` }], kind: "Hash" },
        indexingPolicy: { expression: `${c}.indexingPolicy` },
        defaultTtl: { expression: `${c}.?defaultTtl` },
      });
    });

    it("would notice a missing container, a changed partition key, TTL or index", () => {
      const source = read("infra/azure.bicep");
      const withoutDrafts = source.replace(/\n  \{\n    \/\/ Drafts[\s\S]*?\n  \}\n\]/, "\n]");
      assert.notEqual(withoutDrafts, source);
      assert.deepEqual(containerProblems(new BicepFile(withoutDrafts)), ["container drafts is not declared"]);

      const changes: [RegExp, string, string][] = [
        [/partitionKey: '\/pupilId'/, "partitionKey: '/id'", "container records: partitionKey"],
        [/defaultTtl: -1/, "defaultTtl: 604800", "container drafts: defaultTtl"],
        [/\{ path: '\/occurredAt', order: 'descending' \}/, "{ path: '/occurredAt', order: 'ascending' }", "container records: indexingPolicy"],
        [/\n  \{ path: '\/summary\/\?' \}/, "", "container schools: indexingPolicy"],
      ];
      for (const [pattern, replacement, expected] of changes) {
        const changed = source.replace(pattern, replacement);
        assert.notEqual(changed, source, String(pattern));
        const problems = containerProblems(new BicepFile(changed));
        assert.ok(
          problems.some((p) => p.startsWith(expected)),
          `${expected} not reported: ${problems.join("; ")}`,
        );
      }
    });
  });

  describe("Entra app, bot and Key Vault", () => {
    const aad = JSON.parse(read("aad.manifest.json"));

    it("has the access_as_user scope, pre-authorised for the two Teams clients", () => {
      const scope = aad.api.oauth2PermissionScopes.find((s: { value: string }) => s.value === "access_as_user");
      assert.ok(scope, "no access_as_user scope");
      assert.equal(scope.type, "User");
      assert.equal(aad.api.requestedAccessTokenVersion, 2);
      for (const client of TEAMS_CLIENTS) {
        const pre = aad.api.preAuthorizedApplications.find((p: { appId: string }) => p.appId === client);
        assert.ok(pre, `${client} is not pre-authorised`);
        assert.deepEqual(pre.delegatedPermissionIds, [scope.id]);
      }
      assert.equal(aad.signInAudience, "AzureADMyOrg");
    });

    it("asks for the Graph application permissions TeamsActivity.Send, Mail.Send, and Application.Read.All and GroupMember.Read.All for the role sync", () => {
      const graph = aad.requiredResourceAccess.find((r: { resourceAppId: string }) => r.resourceAppId === GRAPH_APP_ID);
      assert.ok(graph, "no Microsoft Graph entry");
      for (const id of [TEAMS_ACTIVITY_SEND, MAIL_SEND, APPLICATION_READ_ALL, GROUP_MEMBER_READ_ALL]) {
        assert.ok(
          graph.resourceAccess.some((a: { id: string; type: string }) => a.id === id && a.type === "Role"),
          `Graph app role ${id} missing`,
        );
      }
    });

    it("names the same app and Application ID URI as the Teams manifest's SSO, and the audience the web app accepts", () => {
      const env = {
        KEEPSAFE_ENV: "none",
        AAD_APP_CLIENT_ID: "a1b2c3d4-2222-4e5f-8a9b-0c1d2e3f4a5b",
        TAB_ENDPOINT: "https://keepsafe.school.example",
      };
      const vars = { ...packageVariables(env), AAD_APP_OBJECT_ID: "o", AAD_APP_ACCESS_AS_USER_PERMISSION_ID: "p" };
      const filled = JSON.parse(fillTemplate(read("aad.manifest.json"), vars));
      const manifest = buildManifest(packageVariables(env)) as unknown as { webApplicationInfo: { id: string; resource: string } };
      assert.equal(filled.appId, manifest.webApplicationInfo.id);
      assert.deepEqual(filled.identifierUris, [manifest.webApplicationInfo.resource]);
      // The web app accepts that URI as an audience, on the host the toolkit writes as TAB_DOMAIN.
      const audience = (appSettings(bicep).API_AUDIENCE as BicepExpr).text;
      const tabDomain = bicep.outputs().get("TAB_DOMAIN");
      assert.equal(audience, `'\${aadAppClientId},api://\${${tabDomain}}/\${aadAppClientId}'`);
    });

    it("registers the bot single-tenant with the Teams channel, at the web app's /api/messages", () => {
      const bot = bicep.resource("bot").body as BicepObject;
      const props = bot.properties as BicepObject;
      assert.equal(props.msaAppType, "SingleTenant");
      assert.equal((props.msaAppId as BicepExpr).text, (appSettings(bicep).BOT_ID as BicepExpr).text);
      assert.equal((props.msaAppTenantId as BicepExpr).text, (appSettings(bicep).TENANT_ID as BicepExpr).text);
      assert.equal((props.endpoint as BicepExpr).text, "'https://${publicHostName}/api/messages'");
      const channel = bicep.resource("botTeamsChannel").body as BicepObject;
      assert.equal((channel.properties as BicepObject).channelName, "MsTeamsChannel");
    });

    it("lets the web app's identity read the Key Vault secrets its settings refer to", () => {
      const site = bicep.resource("webApp").body as BicepObject;
      assert.equal(((site.properties as BicepObject).keyVaultReferenceIdentity as BicepExpr).text, "identity.id");
      const kv = bicep.resource("keyVaultSecretsUser").body as BicepObject;
      assert.equal((kv.scope as BicepExpr).text, "keyVault");
      assert.match(((kv.properties as BicepObject).principalId as BicepExpr).text, /^identity\.properties\.principalId$/);
      assert.match(bicep.source, /var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'/);
    });
  });

  describe("Agents Toolkit project", () => {
    const stages = toolkitStages(read("m365agents.yml"));
    const uses = (stage: string) => (stages.get(stage) ?? []).map((s) => s.uses);

    it("has provision, deploy and publish stages with the toolkit's actions", () => {
      for (const action of ["teamsApp/create", "aadApp/create", "arm/deploy", "aadApp/update", "teamsApp/update"]) {
        assert.ok(uses("provision").includes(action), `provision has no ${action}`);
      }
      assert.ok(uses("deploy").includes("azureAppService/zipDeploy"), "deploy has no azureAppService/zipDeploy");
      assert.ok(uses("publish").includes("teamsApp/publishAppPackage"), "publish has no teamsApp/publishAppPackage");
      // aadApp/update needs TAB_DOMAIN, which arm/deploy writes.
      assert.ok(uses("provision").indexOf("arm/deploy") < uses("provision").indexOf("aadApp/update"));
      const local = toolkitStages(read("m365agents.local.yml"));
      assert.ok(local.get("provision")?.length && local.get("deploy")?.length, "m365agents.local.yml has no provision or deploy");
    });

    it("deploys the Bicep with a parameters file that fits it, to the web app the Bicep outputs", () => {
      const arm = stages.get("provision")!.find((s) => s.uses === "arm/deploy")!;
      assert.match(arm.text, /- path: \.\/infra\/azure\.bicep\n\s+parameters: \.\/infra\/azure\.parameters\.json/);
      const given = Object.keys(JSON.parse(read("infra/azure.parameters.json")).parameters);
      const params = bicep.params();
      assert.deepEqual(
        given.filter((g) => !params.some((p) => p.name === g)),
        [],
        "parameters the Bicep does not declare",
      );
      assert.deepEqual(
        params.filter((p) => !p.hasDefault && !given.includes(p.name)).map((p) => p.name),
        [],
        "required parameters not given",
      );

      // Each ${{NAME}} in the parameters is written by an earlier provision step or set in env/.env.azure.
      const written = new Set(stages.get("provision")!.flatMap((s) => [...s.text.matchAll(/^\s{6}\w+: ([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1])));
      const envFile = parseEnv(read("env/.env.azure"));
      const placeholders = [...read("infra/azure.parameters.json").matchAll(/\$\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]);
      assert.deepEqual(
        placeholders.filter((p) => !written.has(p) && !Object.hasOwn(envFile, p)),
        [],
      );

      const zipDeploy = stages.get("deploy")!.find((s) => s.uses === "azureAppService/zipDeploy")!;
      const resourceId = /resourceId: \$\{\{(\w+)\}\}/.exec(zipDeploy.text)?.[1];
      assert.equal(bicep.outputs().get(resourceId ?? ""), "webApp.id");
    });

    it("builds the app package with npm run package, which writes the zip the toolkit uploads", () => {
      const packageScript = JSON.parse(read("package.json")).scripts.package as string;
      assert.match(packageScript, /appPackage\/build-package\.ts/);
      for (const stage of ["provision", "publish"]) {
        const steps = stages.get(stage)!;
        assert.ok(
          steps.some((s) => s.uses === "script" && /npm run package/.test(s.text)),
          `${stage} does not run npm run package`,
        );
        for (const s of steps.filter((x) => /appPackagePath/.test(x.text)))
          assert.match(s.text, /appPackagePath: \.\/appPackage\/build\/keepsafe\.zip/);
      }
      assert.match(read("appPackage/build-package.ts"), /"keepsafe\.zip"/);
    });
  });
});
