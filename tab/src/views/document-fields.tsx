// A document on the pupil's file (and a meeting's papers) in "Add to chronology": the file goes up
// first through the one upload path (POST /api/files, the form's requestId as its submissionId),
// then the entry names it. A file once uploaded is not sent again when the entry is retried.
import { useRef, useState } from "react";
import { Field, Input, Select, Textarea } from "@fluentui/react-components";
import { ACCEPTED_FILES_SUMMARY } from "../../../src/domain/files.js";
import type { ApiClient } from "../api-client.js";
import { formatBytes } from "../format.js";
import type { FieldErrors } from "../concern-form.js";
import { CASE_ENTRY_FIELD_LABELS as L } from "./case-entry-problems.js";
import { At } from "./concern-form-fields.js";

type Setter = (name: string) => (_: unknown, d: { value: string }) => void;

/** The chosen file, and its upload for this form once it has gone up. */
export function useEntryFile(requestId: string) {
  const [file, setFile] = useState<File>();
  const uploaded = useRef<{ file: File; fileId: string } | undefined>(undefined);
  return {
    file,
    choose: setFile,
    /** The file's id on the server, uploading it first when it has not gone up yet; undefined when none is chosen. */
    async fileId(api: ApiClient): Promise<string | undefined> {
      if (!file) return undefined;
      if (uploaded.current?.file !== file) uploaded.current = { file, fileId: (await api.uploadFile(requestId, file, file.name)).fileId };
      return uploaded.current.fileId;
    },
  };
}

export function FilePicker({ label, required, file, choose }: { label: string; required: boolean; file?: File; choose(f?: File): void }) {
  return (
    <Field label={label} required={required} hint={`${ACCEPTED_FILES_SUMMARY}.${file ? ` Chosen: ${file.name}, ${formatBytes(file.size)}.` : ""}`}>
      {(fieldProps) => <input {...fieldProps} type="file" onChange={(e) => choose(e.currentTarget.files?.[0])} data-testid="case-entry-file" />}
    </Field>
  );
}

export function DocumentFields({
  v,
  set,
  documentTypes,
  errors,
}: {
  v: Record<string, string>;
  set: Setter;
  documentTypes?: string[];
  errors: FieldErrors;
}) {
  return (
    <>
      <At name="title" label={L.title} required errors={errors}>
        <Input value={v.title ?? ""} onChange={set("title")} data-testid="case-entry-title" />
      </At>
      <At name="documentType" label={L.documentType} required errors={errors}>
        <Select value={v.documentType ?? ""} onChange={set("documentType")} data-testid="case-entry-documentType">
          <option value="">Choose…</option>
          {documentTypes?.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
      </At>
      <At name="note" label={`${L.note} (optional)`} errors={errors}>
        <Textarea value={v.note ?? ""} onChange={set("note")} data-testid="case-entry-note" />
      </At>
    </>
  );
}
