/**
 * Capitalised words in a case entry's people fields that are not a person's name. In those fields
 * ("Dad - Gary", "spoke to Sarah (social worker)", "Duty Team at MASH") any other capitalised word
 * is taken to be a name, so these lists are what stands between a role and a redaction. They are
 * kept small and in the school's own words: a word missing here is redacted (the safe side for a
 * pack that leaves the school), never left in.
 */

const words = (list: string) => list.trim().split(/\s+/);

/** Family roles, agencies and job words: who someone is, not what they are called. */
const ROLE_WORDS = words(`
  mum mom mother dad father parent parents stepmum stepdad stepmother stepfather carer carers guardian foster
  grandma grandmother grandad grandfather grandparent grandparents nan nana nanny gran granny aunt auntie aunty
  uncle brother sister sibling cousin family partner boyfriend girlfriend neighbour
  police mash camhs lado nspcc childline nhs gp yot cin cp lac send sen social services care children's childrens
  early help local authority council health hospital surgery clinic virtual school academy trust front door hub
  youth offending women's aid refuge housing team duty service agency unit
  worker nurse visitor doctor paediatrician officer constable sergeant detective inspector pcso dsl ddsl senco
  sendco head headteacher teacher ta manager lead practitioner therapist counsellor psychologist interpreter
  advocate chair
`);

/**
 * Words with a capital because they start a sentence or always have one ("I", the days), that the
 * people fields often hold: "Spoke to Sarah", "Left a message on Monday". Months are not here:
 * April, May and June are also forenames, and a month wrongly cut costs less than a name left in.
 */
const COMMON_WORDS = words(`
  i a an the and or of on in at by for to from with via re he she they we it her his their our my me him them
  who also spoke speak met meet called call rang phoned phone emailed email texted left message voicemail no not
  answer answered unknown unnamed present apologies attended absent online teams zoom meeting notes minutes ref
  reference tel mobile number office reception main line out hours new see
  monday tuesday wednesday thursday friday saturday sunday
`);

const NOT_NAMES = new Set([...ROLE_WORDS, ...COMMON_WORDS]);

/** A role, agency or common word rather than a name ("Mum", "Police", "Spoke"); case does not matter. */
export const isRoleOrCommonWord = (word: string) => NOT_NAMES.has(word.replace(/’/gu, "'").toLowerCase());
