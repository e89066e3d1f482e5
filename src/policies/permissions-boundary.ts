import { policyDocument, type PolicyDocument, type PolicyStatement } from "./document";

/*
 * The platform's permissions boundary: the most any role of the platform may ever do, in one
 * account. Every role the platform creates carries it (the CI roles, and through an aspect every
 * role of the CI-applied stacks), and the CI apply role may create or change a role only when
 * that role carries it too, so no role the platform creates can grant itself or another role
 * more. Escalation paths it closes follow Rhino Security Labs' published list of AWS IAM
 * privilege escalation methods ("AWS IAM Privilege Escalation - Methods and Mitigation"):
 * CreatePolicyVersion / SetDefaultPolicyVersion on one's own policies, Attach/Put role policies,
 * UpdateAssumeRolePolicy, PassRole to a new role, and the user and group methods (CreateAccessKey,
 * CreateLoginProfile, UpdateLoginProfile, Attach/Put user and group policies, AddUserToGroup),
 * which the boundary does not allow at all.
 */

export interface BoundaryScope {
  readonly project: string;
  readonly accountId: string;
  /** The boundary's own ARN (named in advance: `boundaryArn()`). */
  readonly boundaryArn: string;
  /**
   * Policies a role may have attached besides the platform's own (`policy/<project>-*`): AWS
   * managed or customer policies named in config (`services[].taskRolePolicyArns`).
   */
  readonly attachablePolicyArns: readonly string[];
  /** Services platform roles are passed to (`iam:PassedToService`). @default [] */
  readonly passRoleServices?: readonly string[];
}

/** Path and name of the boundary: outside `policy/<project>-*`, so no platform grant reaches it. */
export const BOUNDARY_PATH = "/boundaries/";

export function boundaryName(project: string): string {
  return `${project}-platform-boundary`;
}

export function boundaryArn(project: string, accountId: string): string {
  return `arn:aws:iam::${accountId}:policy${BOUNDARY_PATH}${boundaryName(project)}`;
}

/** The roles and policies CI itself assumes and holds: `<project>-github-*` (and HCP's). */
export function ciIdentityArns(scope: Pick<BoundaryScope, "project" | "accountId">): string[] {
  const iam = `arn:aws:iam::${scope.accountId}`;
  return [
    `${iam}:role/${scope.project}-github-*`,
    `${iam}:policy/${scope.project}-github-*`,
    `${iam}:role/${scope.project}-hcp-*`,
    `${iam}:policy/${scope.project}-hcp-*`,
  ];
}

/** Role write actions whose request carries the role's boundary (`iam:PermissionsBoundary`). */
export const BOUNDED_ROLE_WRITES = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
] as const;

/** Policy writes: no condition key names the policy's holder, so they are scoped by ARN. */
export const POLICY_WRITES = [
  "iam:CreatePolicy",
  "iam:DeletePolicy",
  "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:TagPolicy",
  "iam:UntagPolicy",
] as const;

/**
 * The denies that make escalation impossible, shared by the boundary and the apply role's own
 * policy (so either alone holds): no role without this boundary, no boundary removal or edit, no
 * change to CI's own roles and policies, no attachment of anything but the platform's policies
 * and the configured ones.
 */
export function escalationDenies(scope: BoundaryScope): PolicyStatement[] {
  const iam = `arn:aws:iam::${scope.accountId}`;
  return [
    {
      Sid: "NoRoleWithoutPlatformBoundary",
      Effect: "Deny",
      Action: [...BOUNDED_ROLE_WRITES],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": scope.boundaryArn } },
    },
    {
      Sid: "NoBoundaryRemoval",
      Effect: "Deny",
      Action: "iam:DeleteRolePermissionsBoundary",
      Resource: "*",
    },
    {
      Sid: "NoBoundaryEdits",
      Effect: "Deny",
      Action: [...POLICY_WRITES],
      Resource: scope.boundaryArn,
    },
    {
      Sid: "NoChangesToCiIdentities",
      Effect: "Deny",
      // Reads stay allowed (plans refresh these roles); every write, PassRole included, is denied.
      NotAction: ["iam:Get*", "iam:List*"],
      Resource: ciIdentityArns(scope),
    },
    {
      Sid: "AttachOnlyPlatformPolicies",
      Effect: "Deny",
      Action: "iam:AttachRolePolicy",
      Resource: "*",
      Condition: {
        ArnNotLike: {
          "iam:PolicyARN": [`${iam}:policy/${scope.project}-*`, ...scope.attachablePolicyArns],
        },
      },
    },
    {
      Sid: "NeverAttachCiOrBoundaryPolicies",
      Effect: "Deny",
      Action: "iam:AttachRolePolicy",
      Resource: "*",
      Condition: {
        ArnLike: {
          "iam:PolicyARN": [
            `${iam}:policy/${scope.project}-github-*`,
            `${iam}:policy/${scope.project}-hcp-*`,
            scope.boundaryArn,
          ],
        },
      },
    },
  ];
}

/**
 * The boundary document. It allows every service except IAM, Organizations and Account (a task
 * role's own policies decide what the app uses), the IAM actions the platform's roles and CI
 * need, on the platform's own roles and policies only (reads, PassRole to the platform's
 * services, service-linked roles, role and policy management), and denies every escalation path
 * above. A boundary grants nothing by itself: a role's effective permissions are
 * the intersection of its own policies and this document.
 */
export function platformBoundary(scope: BoundaryScope): PolicyDocument {
  const iam = `arn:aws:iam::${scope.accountId}`;
  return policyDocument(
    {
      Sid: "AnyServiceButIdentityAndAccounts",
      Effect: "Allow",
      NotAction: ["iam:*", "organizations:*", "account:*"],
      Resource: "*",
    },
    {
      Sid: "ReadIdentities",
      Effect: "Allow",
      Action: ["iam:Get*", "iam:List*"],
      Resource: [`${iam}:*`, "arn:aws:iam::aws:policy/*"],
    },
    {
      Sid: "PlatformRolesWithThisBoundary",
      Effect: "Allow",
      Action: BOUNDED_ROLE_WRITES.filter((a) => a !== "iam:AttachRolePolicy"),
      Resource: `${iam}:role/${scope.project}-*`,
      Condition: { StringEquals: { "iam:PermissionsBoundary": scope.boundaryArn } },
    },
    {
      Sid: "AttachPlatformPolicies",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: `${iam}:role/${scope.project}-*`,
      Condition: {
        StringEquals: { "iam:PermissionsBoundary": scope.boundaryArn },
        ArnLike: {
          "iam:PolicyARN": [`${iam}:policy/${scope.project}-*`, ...scope.attachablePolicyArns],
        },
      },
    },
    {
      Sid: "PlatformRoleLabels",
      Effect: "Allow",
      Action: ["iam:TagRole", "iam:UntagRole", "iam:UpdateRoleDescription"],
      Resource: `${iam}:role/${scope.project}-*`,
    },
    {
      Sid: "PlatformPolicies",
      Effect: "Allow",
      Action: [...POLICY_WRITES],
      Resource: `${iam}:policy/${scope.project}-*`,
    },
    {
      Sid: "PassPlatformRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `${iam}:role/${scope.project}-*`,
      Condition: { StringEquals: { "iam:PassedToService": [...(scope.passRoleServices ?? [])] } },
    },
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `${iam}:role/aws-service-role/*`,
    },
    ...escalationDenies(scope),
  );
}
