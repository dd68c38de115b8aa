// A subject access pack: each passage of the pupil's records with what Keepsafe will cut (other
// children's names and initials, staff names, people outside the school named in case entries)
// struck through, and passages the DSL selects and chooses to leave out; the pupil's case entries
// as a checkbox list, any of which the DSL may leave out whole. Approving keeps the pack as shown;
// the PDF holds "[redacted]" in place of redacted text and nothing of a left-out entry.
import { useEffect, useRef, useState } from "react";
import { Button, Caption1, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowDownloadRegular, ArrowLeftRegular } from "@fluentui/react-icons";
import type { SarPreview, SarRequestView } from "../../../src/contract/subject-access-views.js";
import { useAttempt, useLoad } from "../api-context.js";
import { saveBlob } from "../save-blob.js";
import { ErrorBar } from "./error-bar.js";
import { SubjectAccessEntryChoice } from "./subject-access-entry-choice.js";

type Passage = { blockId: string; start: number; end: number };
type Block = SarPreview["blocks"][number];

const REASONS: Record<Block["redactions"][number]["reason"], string> = {
  pupil: "another pupil's name",
  staff: "a staff name",
  outside: "the name of someone outside the school",
  passage: "a chosen passage",
};

const useStyles = makeStyles({
  block: { marginBlock: tokens.spacingVerticalM, whiteSpace: "pre-wrap" },
  cut: { textDecorationLine: "line-through", backgroundColor: tokens.colorPaletteRedBackground2 },
  bar: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", marginBlock: tokens.spacingVerticalM },
});

/** The block's text in pieces, the redacted ones marked, so the characters shown are the original's. */
function BlockText({ block }: { block: Block }) {
  const styles = useStyles();
  const pieces: React.ReactNode[] = [];
  let at = 0;
  for (const r of block.redactions) {
    pieces.push(block.text.slice(at, r.start));
    pieces.push(
      <mark key={r.start} className={styles.cut} title={`Redacted: ${REASONS[r.reason]}`}>
        {block.text.slice(r.start, r.end)}
      </mark>,
    );
    at = r.end;
  }
  pieces.push(block.text.slice(at));
  return (
    <Text as="p" data-block-id={block.id}>
      {pieces}
    </Text>
  );
}

/** Where the selection falls in a block's text (offsets counted over the text, whatever the marks). */
function selectedPassage(root: HTMLElement | null): Passage | undefined {
  const selection = window.getSelection();
  if (!root || !selection || selection.isCollapsed || !selection.rangeCount) return undefined;
  const range = selection.getRangeAt(0);
  const element = (n: Node) => (n instanceof Element ? n : n.parentElement);
  const block = element(range.startContainer)?.closest<HTMLElement>("[data-block-id]");
  if (!block || !root.contains(block) || block !== element(range.endContainer)?.closest("[data-block-id]")) return undefined;
  const before = document.createRange();
  before.setStart(block, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  return { blockId: block.dataset.blockId!, start, end: start + range.toString().length };
}

export function SubjectAccessPack({ request, onBack }: { request: SarRequestView; onBack(): void }) {
  const styles = useStyles();
  const root = useRef<HTMLDivElement>(null);
  const [passages, setPassages] = useState<Passage[]>([]);
  const [excluded, setExcluded] = useState<string[]>([]);
  const { data, error } = useLoad(
    (api, signal) => api.previewSubjectAccessPack(request.id, passages, excluded, signal),
    [JSON.stringify(passages), JSON.stringify(excluded)],
  );
  // The list stays on screen while the preview reloads, so a ticked box keeps its focus.
  const [entries, setEntries] = useState<SarPreview["entries"]>([]);
  useEffect(() => {
    if (data) setEntries(data.entries);
  }, [data]);
  const { attempt, busy, error: actionError } = useAttempt();
  const [approved, setApproved] = useState<string | undefined>(request.packs.at(-1)?.id);

  const redactSelection = () => {
    const p = selectedPassage(root.current);
    if (p && p.end > p.start) setPassages((all) => [...all, p]);
  };
  const choose = (id: string, included: boolean) => {
    // A passage chosen in an entry left out has nothing to be cut from: it goes with the entry.
    if (!included) setPassages((all) => all.filter((p) => p.blockId !== `${id}:entry`));
    setExcluded((all) => (included ? all.filter((x) => x !== id) : [...all, id]));
  };
  const approve = async () => {
    const done = await attempt((api) => api.approveSubjectAccessPack(request.id, passages, excluded));
    if (done) setApproved(done.pack.id);
  };
  const download = async (packId: string) => {
    const blob = await attempt((api) => api.subjectAccessPackPdf(request.id, packId));
    if (blob) saveBlob(blob, `subject-access-${request.receivedOn}.pdf`);
  };

  return (
    <section aria-labelledby="sar-pack-title" data-testid="sar-pack">
      <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack}>
        Back to requests
      </Button>
      <Subtitle2 as="h2" id="sar-pack-title">
        Pack for {request.pupil.displayName}, requested by {request.requester}
      </Subtitle2>
      <Caption1 as="p">Struck-through text is left out of the PDF. Select any other passage to leave out and choose "Redact selection".</Caption1>
      <div className={styles.bar}>
        <Button onClick={redactSelection} data-testid="sar-redact-selection">
          Redact selection
        </Button>
        <Button onClick={() => setPassages([])} disabled={!passages.length}>
          Undo chosen redactions
        </Button>
        <Button appearance="primary" onClick={() => void approve()} disabled={busy || !data} data-testid="sar-approve">
          Approve pack
        </Button>
        {approved ? (
          <Button icon={<ArrowDownloadRegular />} onClick={() => void download(approved)} data-testid="sar-download">
            Download PDF
          </Button>
        ) : null}
      </div>
      {error ? <ErrorBar error={error} /> : null}
      {actionError ? <ErrorBar error={actionError} /> : null}
      <SubjectAccessEntryChoice entries={entries} excluded={excluded} onChange={choose} />
      <div ref={root}>
        {(data?.blocks ?? []).map((b) => (
          <div key={b.id} className={styles.block}>
            <Text weight="semibold" as="h3">
              {b.heading}
            </Text>
            <BlockText block={b} />
          </div>
        ))}
        {data && !data.blocks.length ? <Text>This pupil has no records to release.</Text> : null}
      </div>
    </section>
  );
}
