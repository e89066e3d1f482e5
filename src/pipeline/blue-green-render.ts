/*
 * Blue/green services: the Build stage renders, per environment, the task definition and the
 * AppSpec that the CodeDeployToECS action deploys (CodePipeline User Guide, "Amazon Elastic
 * Container Service and CodeDeploy blue-green deploy action reference"): the services stack's
 * template (`ServiceRef.deploymentTemplate`: its task definition and AppSpec) with the container's
 * image pinned to the release digest. The AppSpec keeps `<TASK_DEFINITION>`, which the action
 * replaces with the revision it registers from the task definition file.
 *
 * Rendering in the Build stage makes each execution's artifacts a complete snapshot: a stage
 * rollback redeploys the previous release's task definition as well as its image.
 *
 * As in imagedefinitions.ts, the logic is one JavaScript source: the tests evaluate it and the
 * buildspec runs it, so both exercise the same code.
 */

/** The files one environment's deploy reads from the build artifact. */
export function blueGreenFiles(environment: string): { taskDefinition: string; appSpec: string } {
  if (!/^[a-z0-9-]{1,32}$/.test(environment)) {
    throw new Error(`invalid environment name ${JSON.stringify(environment)}`);
  }
  return { taskDefinition: `taskdef-${environment}.json`, appSpec: `appspec-${environment}.yaml` };
}

/** The project variable holding one environment's template. */
export function templateVariable(environment: string): string {
  return `DEPLOYMENT_TEMPLATE_${environment.toUpperCase().replace(/-/g, "_")}`;
}

/*
 * Body of `function (templateJson, imageUri)`: returns { taskDefinition, appSpec } as file
 * contents. ES5, no single quotes (embedded in a single-quoted shell word).
 */
const RENDER_BODY = `
if (!/^[a-z0-9.-]+(:[0-9]+)?[/][a-z0-9._/-]+@sha256:[0-9a-f]{64}$/.test(String(imageUri))) {
  throw new Error("not a digest-pinned image URI: " + imageUri);
}
var template = JSON.parse(String(templateJson));
var task = template.taskDefinition;
var name = String(template.containerName || "");
if (!task || !Array.isArray(task.containerDefinitions)) {
  throw new Error("the deployment template has no task definition");
}
var pinned = 0;
for (var i = 0; i < task.containerDefinitions.length; i++) {
  if (task.containerDefinitions[i].name === name) {
    task.containerDefinitions[i].image = String(imageUri);
    pinned++;
  }
}
if (pinned !== 1) throw new Error("the task definition has no container named " + name);
var spec = template.appSpec;
var target = spec && spec.Resources && spec.Resources[0] && spec.Resources[0].TargetService;
if (!target || target.Properties.TaskDefinition !== "<TASK_DEFINITION>") {
  throw new Error("the AppSpec must deploy <TASK_DEFINITION>");
}
if (target.Properties.LoadBalancerInfo.ContainerName !== name) {
  throw new Error("the AppSpec routes to another container than " + name);
}
var appSpec = JSON.stringify(spec, null, 2).replace("\\"version\\": \\"0.0\\"", "\\"version\\": 0.0");
return { taskDefinition: JSON.stringify(task, null, 2) + "\\n", appSpec: appSpec + "\\n" };
`;

if (RENDER_BODY.includes("'")) throw new Error("RENDER_BODY must not contain single quotes");

const render = new Function("templateJson", "imageUri", RENDER_BODY) as (
  templateJson: string,
  imageUri: string,
) => { taskDefinition: string; appSpec: string };

/** The pure rendering: template JSON + digest-pinned image URI -> the two files' contents. */
export function renderBlueGreen(
  templateJson: string,
  imageUri: string,
): { taskDefinition: string; appSpec: string } {
  return render(templateJson, imageUri);
}

/**
 * Build-phase commands (after the image is pinned and `$IMAGE_URI` is set): one render per
 * blue/green environment, from the project variable holding its template.
 */
export function blueGreenRenderCommands(environments: readonly string[]): string[] {
  const script = [
    `var fs = require("fs");`,
    `function render(templateJson, imageUri) {${RENDER_BODY}}`,
    `var out = render(process.env[process.argv[1]], process.argv[2]);`,
    `fs.writeFileSync(process.argv[3], out.taskDefinition);`,
    `fs.writeFileSync(process.argv[4], out.appSpec);`,
    `console.log("Rendered " + process.argv[3] + " and " + process.argv[4]);`,
  ]
    .join("\n")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");
  return environments.map((env) => {
    const files = blueGreenFiles(env);
    return `node -e '${script}' ${templateVariable(env)} "$IMAGE_URI" ${files.taskDefinition} ${files.appSpec}`;
  });
}
