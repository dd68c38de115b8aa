/**
 * The category tree. Each school edits its own copy (stored with the school); these are
 * the defaults from the schools' policies. Two properties carry the access rules:
 * - `protected`: SLT and staff browsing never see these (child protection, child in need, safeguarding).
 * - `dslAllocatedOnly`: only a DSL/DDSL may put a record in this category.
 */
export interface SubCategory {
  id: string;
  name: string;
}

export interface CategoryField {
  id: string;
  label: string;
  kind: "multi-select" | "text";
  options?: string[];
}

export interface Category {
  id: string;
  name: string;
  protected: boolean;
  dslAllocatedOnly: boolean;
  /** Guidance shown on the form when the category is chosen. */
  guidance?: string;
  subCategories: SubCategory[];
  fields: CategoryField[];
}

const sub = (names: string[]): SubCategory[] => names.map((name) => ({ id: slug(name), name }));

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const plain = (name: string, extra: Partial<Category> = {}): Category => ({
  id: slug(name),
  name,
  protected: false,
  dslAllocatedOnly: false,
  subCategories: [],
  fields: [],
  ...extra,
});

export const DEFAULT_CATEGORIES: Category[] = [
  plain("Attendance", { guidance: "Record times, and what was said about the absence or lateness." }),
  plain("Behaviour", {
    guidance: "What happened before, during and after, and what was tried.",
    subCategories: sub([
      "Physical harm to a pupil",
      "Physical harm to an adult",
      "Verbal abuse of an adult",
      "Verbal abuse of a pupil",
      "Damage",
      "Persistent",
      "Defiance",
      "Disruption",
      "Other",
    ]),
    fields: [
      {
        id: "deescalation",
        label: "De-escalation strategies used",
        kind: "multi-select",
        options: [
          "Calm talking",
          "Distraction",
          "Time out offered",
          "Choices given",
          "Change of adult",
          "Removal of audience",
          "Humour",
          "Reassurance",
        ],
      },
      {
        id: "outcomes",
        label: "Outcomes of the incident",
        kind: "multi-select",
        options: [
          "Someone suffered verbal harm",
          "Someone suffered physical harm",
          "Positive handling intervention required",
          "First aid given to an adult",
          "First aid given to a child",
          "Aggressive incident",
          "Accidental harm",
          "Near miss",
        ],
      },
    ],
  }),
  plain("Bullying", {
    guidance: "Record what the child said and how it was looked into.",
    subCategories: sub([
      "Possessions taken or damaged",
      "Forced into something against their will",
      "Isolated or ignored",
      "Online bullying",
      "Rumours or nasty notes",
      "Physical abuse",
      "Forced to hand over money",
      "Other",
    ]),
    fields: [
      {
        id: "investigation",
        label: "Details of investigation",
        kind: "multi-select",
        options: ["Victim spoken to", "Alleged perpetrator spoken to", "Witnesses spoken to", "Parents informed", "Statements taken"],
      },
      { id: "further-measures", label: "Further measures taken", kind: "text" },
    ],
  }),
  plain("Child in Need", { protected: true, dslAllocatedOnly: true, guidance: "DSL only. Record what was decided, by whom and why." }),
  plain("Child Protection", { protected: true, dslAllocatedOnly: true, guidance: "DSL only. Record the decision and why, including not to refer." }),
  plain("EAL"),
  plain("Looked After Children"),
  plain("Parent contact", { guidance: "Who, when, and what they said." }),
  plain("PPG"),
  plain("Prejudicial", {
    guidance: "Record the exact words used and who heard them.",
    subCategories: sub([
      "Race",
      "Sexual orientation / homophobic",
      "Disability",
      "Ethnicity",
      "Religion",
      "Gender",
      "Derogatory",
      "Gender reassignment",
      "Age",
    ]),
  }),
  plain("Safeguarding", {
    protected: true,
    guidance: "If a child has disclosed harm, tell a DSL in person now; record afterwards. Record the child's own words exactly.",
    subCategories: sub([
      "Emotional abuse",
      "Neglect",
      "Sexual abuse",
      "Inappropriate use of technology",
      "Domestic abuse",
      "Drug/alcohol abuse",
      "Self-harm",
      "Family breakdown",
      "Child sexual exploitation",
      "Child criminal exploitation",
      "Mental health",
      "Physical health",
      "Police involvement",
      "Residency issue",
      "FGM",
      "Physical abuse",
      "Other",
    ]),
  }),
  plain("SEND"),
  plain("Significant event / Family"),
  plain("Transition"),
  plain("Welfare", { guidance: "What you saw, when, and what you did." }),
  plain("Outside-school incident"),
];

export function findCategory(categories: readonly Category[], id: string): Category | undefined {
  return categories.find((c) => c.id === id);
}
