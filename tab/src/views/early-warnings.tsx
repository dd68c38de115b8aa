// The DSL home's early warnings: how many pupils' concerns have built up past the school's rule and
// are not yet reviewed, each with the references of the concerns that triggered it.
import { Caption1, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useLoad } from "../api-context.js";
import { formatDateTime } from "../format.js";
import { ErrorBar } from "./error-bar.js";

const RULES = { "any-concerns": "Concerns building up", "different-staff": "Several staff concerned" } as const;

export function EarlyWarnings() {
  const { data, error, loading } = useLoad((api, signal) => api.earlyWarnings(signal), []);
  if (loading) return null;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;
  return (
    <section aria-labelledby="early-warnings-title" data-testid="early-warnings">
      <Subtitle2 as="h3" id="early-warnings-title">
        Early warnings to review: <span data-testid="early-warnings-count">{data.firings.length}</span>
      </Subtitle2>
      {data.firings.length === 0 ? (
        <Text as="p">None open.</Text>
      ) : (
        <Table aria-label="Early warnings not yet reviewed, newest first" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Raised</TableHeaderCell>
              <TableHeaderCell>Pupil</TableHeaderCell>
              <TableHeaderCell>Why</TableHeaderCell>
              <TableHeaderCell>Concerns</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.firings.map((f) => (
              <TableRow key={f.id} data-testid="early-warning-row">
                <TableCell>{formatDateTime(f.firedAt)}</TableCell>
                <TableCell>{f.pupil.displayName}</TableCell>
                <TableCell>
                  <Caption1>{RULES[f.rule]}</Caption1>
                </TableCell>
                <TableCell>{f.references.join(", ")}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
