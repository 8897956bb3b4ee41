// The designer: palette, canvas, inspector and the engine's panels around one topology.

import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import example from "../../examples/three-tier.json";
import type { CardKind, JsonObject, Topology } from "./model/types";
import type { Analysis, Diagnostic, EngineError } from "./engine/types";
import { Analyzer, Engine } from "./engine/client";
import { cardOfPointer, cardPointer } from "./model/pointer";
import { cardValue, setCardValue, updateResource } from "./model/edit";
import { connect, disconnect } from "./model/connections";
import { createAt, type DropPlace } from "./model/create";
import { removeCard } from "./model/remove";
import { applyPatch } from "./model/jsonPatch";
import { buildStructure } from "./graph/structure";
import { reachColours } from "./graph/reach";
import { decorations as buildDecorations, nodeOfDiagnostic } from "./graph/flow";
import { Canvas } from "./graph/Canvas";
import { Inspector } from "./inspector/Inspector";
import type { Schema } from "./inspector/schema";
import { Palette } from "./panels/Palette";
import { isProblem, ProblemsPanel } from "./panels/ProblemsPanel";
import { PathsPanel } from "./panels/PathsPanel";
import { PlanPanel } from "./panels/PlanPanel";
import { CostPanel } from "./panels/CostPanel";
import { ImportDialog } from "./panels/ImportDialog";
import { isTerraformJson, type ImportRequest } from "./io/importSource";
import { ExportDialog } from "./panels/ExportDialog";
import { Toolbar } from "./panels/Toolbar";
import { download, type ExportFormat } from "./io/files";
import { initial, reducer } from "./state/store";
import { clearSaved, loadPositions, loadSaved, save, savePositions } from "./state/autosave";

const EXAMPLE = example as unknown as Topology;
type Tab = "problems" | "paths" | "plan" | "cost";

function startState() {
  const saved = loadSaved();
  return saved ? initial(saved.topology, saved.traffic) : initial(EXAMPLE);
}

/** Hand-placed positions belong to the autosaved topology; the example starts without any. */
function startPositions() {
  if (loadSaved()) return loadPositions();
  savePositions(new Map());
  return new Map();
}

export function App() {
  const [state, dispatch] = useReducer(reducer, undefined, startState);
  const [initialPins] = useState(startPositions);
  const topology = state.history.present;
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [engineError, setEngineError] = useState<EngineError | null>(null);
  const [schema, setSchema] = useState<Schema | null>(null);
  const [tab, setTab] = useState<Tab>("problems");
  const [dialog, setDialog] = useState<"import" | "export" | null>(null);
  const [focus, setFocus] = useState<{ id: string; seq: number } | null>(null);
  const [layoutMs, setLayoutMs] = useState<number | null>(null);
  const engineRef = useRef<Engine | null>(null);
  const analyzerRef = useRef<Analyzer | null>(null);

  if (!engineRef.current) {
    const engine = new Engine();
    engineRef.current = engine;
    analyzerRef.current = new Analyzer(
      engine,
      (a) => {
        setAnalysis(a);
        setEngineError(null);
      },
      (e) => setEngineError(e),
    );
  }
  const engine = engineRef.current;

  useEffect(() => {
    engine.schema("topology").then(
      (s) => setSchema(s as Schema),
      (e: EngineError) => setEngineError(e),
    );
  }, [engine]);

  // Every edit re-runs the engine (debounced, off the main thread) and is autosaved.
  useEffect(() => {
    analyzerRef.current?.schedule(topology, state.traffic, state.revision);
    const t = setTimeout(() => save({ topology, traffic: state.traffic }), 400);
    return () => clearTimeout(t);
  }, [topology, state.traffic, state.revision]);

  // Another document, or an auto-layout, starts without hand-placed positions: forget the
  // saved ones at once, not when the new layout is drawn, so that a reload in between cannot
  // put them on the new document.
  useEffect(() => {
    if (state.fitEpoch > 0) savePositions(new Map());
  }, [state.fitEpoch]);

  const structure = useMemo(() => buildStructure(topology), [topology]);
  const report = analysis?.report.ok ? analysis.report.value : null;
  const diagnostics = useMemo(() => report?.diagnostics ?? [], [report]);
  const reachReport = analysis?.reach.ok ? analysis.reach.value : null;
  const colours = useMemo(() => reachColours(topology, reachReport), [topology, reachReport]);
  const decos = useMemo(() => buildDecorations(topology, diagnostics, colours), [topology, diagnostics, colours]);
  const analysisError = engineError ?? (analysis && !analysis.report.ok ? analysis.report.error : null);

  const notify = useCallback((text: string, tone: "info" | "error" = "error") => dispatch({ type: "notice", text, tone }), []);
  const edit = useCallback((t: Topology, select?: string | null) => dispatch({ type: "edit", topology: t, select }), []);

  const selectedRef = state.selected ? cardOfPointer(state.selected) : null;
  const selectedValue = selectedRef ? cardValue(topology, selectedRef) : undefined;

  const onConnect = useCallback(
    (source: string, target: string) => {
      const a = cardOfPointer(source);
      const b = cardOfPointer(target);
      if (!a || !b) return notify("Connect two resources (zones are only groupings).");
      const out = connect(topology, a, b);
      if (out.ok) edit(out.topology);
      else notify(out.reason);
    },
    [topology, edit, notify],
  );

  const onDropKind = useCallback(
    (kind: CardKind, place: DropPlace) => {
      const out = createAt(topology, kind, place);
      if (out.ok) edit(out.topology, cardPointer(out.ref));
      else notify(out.reason);
    },
    [topology, edit, notify],
  );

  const onMoveInstance = useCallback(
    (node: string, subnetNode: string | null) => {
      const inst = cardOfPointer(node);
      const subnet = subnetNode ? cardOfPointer(subnetNode) : null;
      if (inst?.kind !== "instances") return;
      if (subnet?.kind !== "subnets") {
        notify("An instance lives in a subnet: drop it inside one.");
        dispatch({ type: "layout" });
        return;
      }
      edit(updateResource(topology, "instances", inst.id, (i) => ({ ...i, subnet: subnet.id })), node);
    },
    [topology, edit, notify],
  );

  const deleteSelection = useCallback(() => {
    if (state.selectedEdge) {
      const e = structure.edges.find((x) => x.id === state.selectedEdge);
      const from = e ? cardOfPointer(e.source) : null;
      const to = e ? cardOfPointer(e.target) : null;
      if (!e || !from || !to) return;
      const out = disconnect(topology, e.relation, from, to);
      if (out.ok) edit(out.topology);
      else notify(out.reason);
      return;
    }
    if (selectedRef) edit(removeCard(topology, selectedRef), null);
  }, [state.selectedEdge, structure, topology, selectedRef, edit, notify]);

  const onFix = useCallback(
    (d: Diagnostic) => {
      if (!d.fix) return;
      try {
        edit(applyPatch(topology as never, d.fix.patch) as Topology);
      } catch (e) {
        notify(`The fix for ${d.code} does not apply: ${(e as Error).message}`);
      }
    },
    [topology, edit, notify],
  );

  const onSelectDiagnostic = useCallback(
    (d: Diagnostic) => {
      const id = nodeOfDiagnostic(topology, d);
      if (!id) return;
      dispatch({ type: "select", id });
      setFocus((f) => ({ id, seq: (f?.seq ?? 0) + 1 }));
    },
    [topology],
  );

  const onImport = useCallback(
    async (request: ImportRequest): Promise<string | null> => {
      try {
        const t =
          request.format === "terraform"
            ? await engine.importTerraform(request.source)
            : await engine.importCloudFormation(request.text, request.file);
        const skipped = Array.isArray(t.origin?.["skipped"]) ? t.origin["skipped"].length : 0;
        dispatch({ type: "open", topology: t, note: `Imported ${request.label}${skipped ? `; ${skipped} resources outside the model skipped` : ""}.` });
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    },
    [engine],
  );

  const onOpenJson = useCallback(
    async (text: string, file: string) => {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        return notify(`${file} is not JSON: ${(e as Error).message}`);
      }
      if (doc && typeof doc === "object" && ("Resources" in doc || isTerraformJson(text))) {
        const err = await onImport("Resources" in doc ? { format: "cloudformation", text, file, label: file } : { format: "terraform", source: text, label: file });
        if (err) notify(err);
        return;
      }
      if (!doc || typeof doc !== "object" || typeof (doc as Topology).version !== "number")
        return notify(`${file} is not a vpclink topology (it has no "version").`);
      dispatch({ type: "open", topology: doc as Topology, note: `Opened ${file}.` });
    },
    [notify, onImport],
  );

  const render = useCallback((format: ExportFormat) => engine.render(topology, format), [engine, topology]);

  // Keyboard: undo/redo, delete, layout, fit — not while typing in a field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName))) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "z") {
        e.preventDefault();
        dispatch({ type: e.shiftKey ? "redo" : "undo" });
      } else if (mod && e.key.toLowerCase() === "y") {
        e.preventDefault();
        dispatch({ type: "redo" });
      } else if (e.key === "Delete" || e.key === "Backspace") {
        e.preventDefault();
        deleteSelection();
      } else if (!mod && e.key.toLowerCase() === "l") {
        dispatch({ type: "layout" });
      } else if (e.key === "Escape") {
        dispatch({ type: "select", id: null });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [deleteSelection]);

  const timings = analysis?.timings;
  const pending = analysis?.revision !== state.revision;
  const selectedDiagnostics = state.selected ? diagnostics.filter((d) => nodeOfDiagnostic(topology, d) === state.selected) : [];

  return (
    <div className="app">
      <Toolbar
        canUndo={state.history.past.length > 0}
        canRedo={state.history.future.length > 0}
        onUndo={() => dispatch({ type: "undo" })}
        onRedo={() => dispatch({ type: "redo" })}
        onNew={() => dispatch({ type: "open", topology: { version: 1, region: topology.region || "us-east-1" }, note: "New topology." })}
        onExample={() => {
          clearSaved();
          dispatch({ type: "open", topology: EXAMPLE, note: "The three-tier example." });
        }}
        onOpen={onOpenJson}
        onSave={() => download(JSON.stringify(topology, null, 2) + "\n", "topology.json", "application/json")}
        onImport={() => setDialog("import")}
        onExport={() => setDialog("export")}
        onLayout={() => dispatch({ type: "layout" })}
        onDelete={deleteSelection}
        canDelete={!!state.selected || !!state.selectedEdge}
      />
      <div className="main">
        <Palette />
        <ReactFlowProvider>
          <Canvas
            structure={structure}
            decorations={decos}
            reach={colours}
            selected={state.selected}
            selectedEdge={state.selectedEdge}
            layoutEpoch={state.layoutEpoch}
            fitEpoch={state.fitEpoch}
            focus={focus}
            onSelect={(id) => dispatch({ type: "select", id })}
            onSelectEdge={(id) => dispatch({ type: "selectEdge", id })}
            onConnect={onConnect}
            onDropKind={onDropKind}
            onMoveInstance={onMoveInstance}
            onLayout={(ms) => setLayoutMs(ms)}
            initialPins={initialPins}
            onPinsChange={savePositions}
          />
        </ReactFlowProvider>
        <Inspector
          selected={selectedRef}
          value={selectedValue}
          schema={schema}
          diagnostics={selectedDiagnostics}
          onChange={(v: JsonObject) => selectedRef && edit(setCardValue(topology, selectedRef, v))}
          onDelete={deleteSelection}
        />
      </div>
      <div className="bottom">
        <div className="tabs" role="tablist">
          {(
            [
              ["problems", `Problems (${diagnostics.filter(isProblem).length})${diagnostics.some((d) => !isProblem(d)) ? ` · notes ${diagnostics.filter((d) => !isProblem(d)).length}` : ""}`],
              ["paths", `Paths (${reachReport ? `${reachReport.summary.reachable}/${reachReport.summary.paths}` : "–"})`],
              ["plan", `Plan (${analysis?.plan.ok ? analysis.plan.value.steps.length : "–"})`],
              ["cost", `Cost (${analysis?.cost.ok ? `$${analysis.cost.value.monthly_usd.toFixed(2)}` : "–"})`],
            ] as const
          ).map(([id, label]) => (
            <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? "active" : ""} data-testid={`tab-${id}`} onClick={() => setTab(id)}>
              {label}
            </button>
          ))}
          {state.notice && (
            <span key={state.notice.seq} className={`notice ${state.notice.tone}`} data-testid="notice" role="status">
              {state.notice.text}
            </span>
          )}
        </div>
        {tab === "problems" && <ProblemsPanel diagnostics={diagnostics} error={analysisError} onSelect={onSelectDiagnostic} onFix={onFix} />}
        {tab === "paths" && <PathsPanel reach={reachReport} />}
        {tab === "plan" && <PlanPanel plan={analysis?.plan.ok ? analysis.plan.value : null} error={analysis && !analysis.plan.ok ? analysis.plan.error : null} />}
        {tab === "cost" && (
          <CostPanel
            cost={analysis?.cost.ok ? analysis.cost.value : null}
            error={analysis && !analysis.cost.ok ? analysis.cost.error : null}
            traffic={state.traffic}
            onTraffic={(traffic) => dispatch({ type: "traffic", traffic })}
          />
        )}
      </div>
      <footer
        className="status"
        data-testid="engine-status"
        data-revision={state.revision}
        data-analysed-revision={analysis?.revision ?? 0}
        data-engine-ms={timings ? timings.total.toFixed(2) : ""}
        data-timings={timings ? JSON.stringify(timings) : ""}
        data-layout-ms={layoutMs !== null ? layoutMs.toFixed(1) : ""}
        data-errors={report?.summary.errors ?? ""}
        data-warnings={report?.summary.warnings ?? ""}
      >
        {pending ? "Checking…" : "Checked"} · {structure.nodes.length} cards · engine {timings ? `${timings.total.toFixed(1)} ms` : "–"}
        {timings && ` (validate ${timings.validate.toFixed(1)}, reach ${timings.reach.toFixed(1)}, plan ${timings.plan.toFixed(1)}, cost ${timings.cost.toFixed(1)})`}
        {layoutMs !== null && ` · layout ${layoutMs.toFixed(0)} ms`} · runs in your browser; nothing is sent anywhere
      </footer>
      {dialog === "import" && <ImportDialog onImport={onImport} onClose={() => setDialog(null)} />}
      {dialog === "export" && <ExportDialog render={render} onClose={() => setDialog(null)} />}
    </div>
  );
}
