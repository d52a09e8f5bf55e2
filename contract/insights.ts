// Shapes returned by the insights engine (GET /api/profiles/:id/insights) and the
// concept library (GET /api/concepts). Plain data: the web client imports these types.

export type Severity = 'info' | 'warning';
export type Confidence = 'high' | 'medium' | 'low';

/** A user function a finding points at (never a runtime or standard-library frame). */
export interface FindingFunction {
  name: string;
  file: string;
  /** Line of the frame in the user function (0 when unknown). */
  line: number;
  /** Value attributed to this function by the rule, in the sample type's unit. */
  value: number;
  /** value / profile total. */
  share: number;
}

export interface Finding {
  /** Stable rule id, e.g. "heap.slice-growth". */
  rule: string;
  /** Concept slug, see /api/concepts/:slug. */
  concept: string;
  /** Further concepts worth reading for this finding. */
  related: string[];
  title: string;
  severity: Severity;
  confidence: Confidence;
  /** Value matched by the rule, in `unit`, and its share of the total (0..1). */
  value: number;
  share: number;
  /** The user's functions involved, largest first. */
  functions: FindingFunction[];
  /** What was seen: frames, sizes, counts. One line each. */
  evidence: string[];
  advice: string;
  /** Commands to run next (go tool pprof, go build -gcflags, ...). */
  commands: string[];
  /** ECMAScript regexp source matching the frames the UI should highlight. */
  highlight: string;
}

export interface InsightsReport {
  /** 'cpu' | 'heap' | 'goroutine' | 'contention' | 'other'. */
  kind: ProfileFamily;
  sampleType: { type: string; unit: string };
  total: number;
  /** Go release range guessed from runtime function names, or '' when unknown/not Go. */
  goVersion: string;
  isGo: boolean;
  findings: Finding[];
  /** Why nothing was said, or caveats about the whole profile. */
  notes: string[];
}

export type ProfileFamily = 'cpu' | 'heap' | 'goroutine' | 'contention' | 'other';

/** One block of concept text. Inline `code` uses backticks; [text](/concepts/slug) links. */
export type ConceptBlock =
  | { kind: 'p'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'code'; lang: 'go' | 'sh' | 'text'; code: string; caption?: string };

export interface ConceptSection {
  heading: string;
  blocks: ConceptBlock[];
}

export interface Concept {
  slug: string;
  title: string;
  /** One or two sentences for the side panel and the list. */
  summary: string;
  sections: ConceptSection[];
  /** Profile signals that point to this concept (profile type + what you see). */
  signals: string[];
  /** What to try next: a command or a code change. */
  nextSteps: { text: string; command?: string }[];
  related: string[];
}

export interface ConceptSummary {
  slug: string;
  title: string;
  summary: string;
}
