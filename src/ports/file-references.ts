/** Whether any stored record (an incident, an action, a case entry) holds a file: the orphan clean-up's check. */
export interface FileReferences {
  /** True when a stored record of the school holds the file stored under `key`; read from the store now, never a cache. */
  isReferenced(schoolId: string, key: string): Promise<boolean>;
}
