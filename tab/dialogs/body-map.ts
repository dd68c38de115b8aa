// The body map dialog: front and back outlines of a child; click to place a numbered mark,
// describe each one (colour, shape, size, a note), then save. Saving hands the marks to
// Teams with dialog.url.submit, which the bot receives as task/submit for this form.
// Plain DOM on purpose: one small page, loaded inside a Teams dialog.
import { dialog } from "@microsoft/teams-js";
import { BODY_MAP_LIMITS, pointToMark, renderBodyMapSvg, type BodyMapMark } from "../../src/domain/body-map.js";
import { MARK_COLOURS, MARK_SHAPES } from "../src/body-map-choices.js";
import { $, say, startDialogPage } from "./dialog-page.js";

const COLOURS = MARK_COLOURS;
const SHAPES = MARK_SHAPES;

type Field = "colour" | "shape" | "size" | "note";

const marks: BodyMapMark[] = [];
let selected: number | undefined;

async function start() {
  const submissionId = await startDialogPage({
    outsideTeams: "The body map must be opened from Keepsafe inside Microsoft Teams.",
    noForm: "This body map is not linked to a form. Close it and open it again from the form.",
  });
  if (submissionId === undefined) return;
  $("limit").textContent = String(BODY_MAP_LIMITS.maxMarks);
  fillDatalist("colours", COLOURS);
  fillDatalist("shapes", SHAPES);
  $("main").hidden = false;
  drawMap();
  drawList();

  $("map").addEventListener("click", (event) => {
    const svg = (event.currentTarget as HTMLElement).querySelector("svg");
    const matrix = svg?.getScreenCTM();
    if (!svg || !matrix) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    const placed = pointToMark(point.x, point.y);
    if (!placed) return;
    if (marks.length >= BODY_MAP_LIMITS.maxMarks) {
      say(`A body map can have at most ${BODY_MAP_LIMITS.maxMarks} marks.`, "error");
      return;
    }
    marks.push(placed);
    selected = marks.length - 1;
    say(`Mark ${marks.length} placed on the ${placed.side}. Describe it below.`);
    drawMap();
    drawList();
    ($(`mark-${marks.length}-shape`) as HTMLInputElement | null)?.focus();
  });

  $("save").addEventListener("click", () => {
    const result = { dialog: "body-map", submissionId, marks: marks.map(clean) };
    // Teams closes the dialog and sends the result to the bot (task/submit).
    dialog.url.submit(result);
    say("Saving the body map…");
  });
}

/** Drops empty descriptions so the server keeps only what was written. */
function clean(mark: BodyMapMark): BodyMapMark {
  const out: BodyMapMark = { side: mark.side, x: mark.x, y: mark.y };
  for (const f of ["colour", "shape", "size", "note"] as Field[]) {
    const v = mark[f]?.trim();
    if (v) out[f] = v;
  }
  return out;
}

function drawMap() {
  // renderBodyMapSvg escapes everything typed, and is the drawing used everywhere else too.
  $("map").innerHTML = renderBodyMapSvg(marks, { selected });
}

function drawList() {
  const list = $("marks");
  list.replaceChildren();
  $("empty").hidden = marks.length > 0;
  marks.forEach((mark, i) => {
    const n = i + 1;
    const row = document.createElement("li");
    row.className = "mark-row";
    row.dataset.testid = "mark-row";
    row.dataset.selected = String(selected === i);
    const title = document.createElement("h3");
    title.textContent = `Mark ${n} (${mark.side === "front" ? "front" : "back"})`;
    row.append(title);
    row.append(
      input(mark, i, "shape", "Shape or kind", BODY_MAP_LIMITS.shapeMaxLength, "shapes"),
      input(mark, i, "colour", "Colour", BODY_MAP_LIMITS.colourMaxLength, "colours"),
      input(mark, i, "size", "Size (e.g. 2 cm)", BODY_MAP_LIMITS.sizeMaxLength),
      input(mark, i, "note", "Note", BODY_MAP_LIMITS.noteMaxLength),
    );
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = `Remove mark ${n}`;
    remove.addEventListener("click", () => {
      marks.splice(i, 1);
      selected = undefined;
      say(`Mark ${n} removed. The marks after it are renumbered.`);
      drawMap();
      drawList();
    });
    row.append(remove);
    row.addEventListener("focusin", () => {
      if (selected !== i) {
        selected = i;
        drawMap();
      }
    });
    list.append(row);
  });
}

function input(mark: BodyMapMark, i: number, field: Field, label: string, max: number, listId?: string): HTMLElement {
  const id = `mark-${i + 1}-${field}`;
  const wrap = document.createElement("div");
  wrap.className = "field";
  const l = document.createElement("label");
  l.htmlFor = id;
  l.textContent = label;
  const el = field === "note" ? document.createElement("textarea") : document.createElement("input");
  el.id = id;
  el.name = field;
  el.maxLength = max;
  el.value = mark[field] ?? "";
  if (listId && el instanceof HTMLInputElement) el.setAttribute("list", listId);
  el.addEventListener("input", () => {
    mark[field] = el.value;
    drawMap(); // the mark's title (its description) follows what is typed
  });
  wrap.append(l, el);
  return wrap;
}

function fillDatalist(id: string, values: string[]) {
  const list = $(id);
  for (const v of values) {
    const option = document.createElement("option");
    option.value = v;
    list.append(option);
  }
}

void start();
