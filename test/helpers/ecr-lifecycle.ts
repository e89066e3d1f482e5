/*
 * What an ECR lifecycle policy expires, evaluated as the Amazon ECR User Guide ("Lifecycle policy
 * evaluation rules") describes it, for the rule shapes this platform writes:
 * - rules apply in rulePriority order (lowest number first); an image is expired by at most one
 *   rule;
 * - an image that matches a rule's tag selection cannot be expired by a lower-priority rule, but a
 *   lower-priority rule still counts it as if it had not been expired;
 * - `tagPrefixList` matches an image when every listed prefix matches one of the image's tags;
 * - `imageCountMoreThan` sorts the matching images newest first (push time) and expires those past
 *   the count; `sinceImagePushed` expires matching images older than the count in days.
 */

export interface Image {
  readonly digest: string;
  readonly tags: readonly string[];
  /** Push time in days (larger is newer). */
  readonly pushedDay: number;
}

interface Rule {
  readonly rulePriority: number;
  readonly selection: {
    readonly tagStatus: "tagged" | "untagged" | "any";
    readonly tagPrefixList?: readonly string[];
    readonly countType: "imageCountMoreThan" | "sinceImagePushed";
    readonly countNumber: number;
  };
}

function matches(rule: Rule, image: Image): boolean {
  const { tagStatus, tagPrefixList = [] } = rule.selection;
  if (tagStatus === "any") return true;
  if (tagStatus === "untagged") return image.tags.length === 0;
  return (
    image.tags.length > 0 &&
    tagPrefixList.every((prefix) => image.tags.some((tag) => tag.startsWith(prefix)))
  );
}

/** The digests the policy expires on the given day. */
export function expiredImages(
  policyJson: string,
  images: readonly Image[],
  today: number,
): Set<string> {
  const rules = [...(JSON.parse(policyJson) as { rules: Rule[] }).rules].sort(
    (a, b) => a.rulePriority - b.rulePriority,
  );
  const claimed = new Set<string>(); // matched by a higher-priority rule
  const expired = new Set<string>();
  for (const rule of rules) {
    const matching = images
      .filter((image) => matches(rule, image))
      .sort((a, b) => b.pushedDay - a.pushedDay);
    const { countType, countNumber } = rule.selection;
    const past =
      countType === "imageCountMoreThan"
        ? matching.slice(countNumber)
        : matching.filter((image) => today - image.pushedDay > countNumber);
    for (const image of past) if (!claimed.has(image.digest)) expired.add(image.digest);
    for (const image of matching) claimed.add(image.digest);
  }
  return expired;
}
