// The mq syntax tree. Every node carries its LSP-style range (0-based line/character, end exclusive)
// and its offsets into the document text, so that editors, the CLI and quick fixes can point at it.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Located {
  range: Range;
  /** Offset of the first character in the document. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

/** A name as written: metric, dimension, filter, enum value or ORDER BY column. */
export interface Name extends Located {
  kind: 'name';
  /** Text as written in the document. */
  text: string;
  /** Upper-cased text (names are case-insensitive). */
  upper: string;
}

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w';

export interface StringValue extends Located {
  kind: 'string';
  /** The unescaped content (a doubled quote stands for one quote). */
  value: string;
  quote: "'" | '"';
  /** False when the closing quote is missing (a syntax error is reported too). */
  terminated: boolean;
}

export interface IntegerValue extends Located {
  kind: 'integer';
  /** Digits as written: IDs are int64 and must never go through a JS number. */
  text: string;
}

export interface DurationValue extends Located {
  kind: 'duration';
  /** Digits as written. */
  amount: string;
  unit: DurationUnit;
  /** Length in milliseconds (Infinity when the amount is too large to represent). */
  ms: number;
}

export interface BooleanValue extends Located {
  kind: 'boolean';
  value: boolean;
}

export interface TimeOffset extends Located {
  sign: '+' | '-';
  /** Missing when the parser recovered from `now -` with nothing after it. */
  duration?: DurationValue;
}

/** A time expression with a NOW/TODAY base, or a string base followed by at least one offset. */
export interface TimeValue extends Located {
  kind: 'time';
  base: { kind: 'now' | 'today'; range: Range; start: number; end: number } | StringValue;
  offsets: TimeOffset[];
}

export interface NameValue extends Located {
  kind: 'nameValue';
  text: string;
  upper: string;
}

export type Value = NameValue | StringValue | IntegerValue | DurationValue | BooleanValue | TimeValue;

export type ComparisonOperator = '=' | '<' | '<=' | '>' | '>=';
/** Operators the grammar recognises only to report them. */
export type UnsupportedOperator = '!=' | '<>';

export interface Condition extends Located {
  kind: 'condition';
  filter: Name;
  /** The operator as written; undefined when recovery could not find one. */
  operator?: ComparisonOperator | 'IN' | 'BETWEEN' | UnsupportedOperator;
  operatorRange?: Range;
  operatorStart?: number;
  operatorEnd?: number;
  /** `=`/comparisons: one value; IN: the list; BETWEEN: two values. */
  values: Value[];
  /** Set when the condition was preceded by NOT (reported as unsupported). */
  not?: Located;
}

/** OR or NOT found in a WHERE clause: reported as unsupported-operator. */
export interface UnsupportedKeyword extends Located {
  keyword: 'OR' | 'NOT';
}

export interface OrderItem extends Located {
  column: Name;
  direction: 'ASC' | 'DESC';
  /** True when ASC/DESC was written. */
  explicitDirection: boolean;
}

export interface Keyword extends Located {
  text: string;
}

export interface SelectClause extends Located {
  keyword: Keyword;
  metrics: Name[];
}

export interface ByClause extends Located {
  keyword: Keyword;
  dimensions: Name[];
}

export interface WhereClause extends Located {
  keyword: Keyword;
  conditions: Condition[];
  /** OR / NOT keywords met between or before conditions. */
  unsupported: UnsupportedKeyword[];
}

export interface OrderByClause extends Located {
  keyword: Keyword;
  items: OrderItem[];
}

/** `COMPARE WITH PREVIOUS PERIOD`: the period of the same length just before the query's own. */
export interface PreviousPeriodTarget extends Located {
  kind: 'previousPeriod';
}

/** `COMPARE WITH 7d AGO`: the query's period moved back by a duration. */
export interface AgoTarget extends Located {
  kind: 'ago';
  duration: DurationValue;
}

export type CompareTarget = PreviousPeriodTarget | AgoTarget;

/** `COMPARE WITH (PREVIOUS PERIOD | duration AGO)` (spec §8.2). */
export interface CompareClause extends Located {
  /** `COMPARE WITH` (or `COMPARE` alone when WITH is missing). */
  keyword: Keyword;
  /** Undefined when the parser could not read what to compare with (a syntax error says so). */
  target?: CompareTarget;
}

/** A number in HAVING: may be negative and may have a fraction (`-0.5`, `12.5`). */
export interface NumberLiteral extends Located {
  kind: 'number';
  /** As written, sign included (`-0.5`). */
  text: string;
  value: number;
}

export type HavingLiteral = NumberLiteral | StringValue | NameValue;

export type HavingOperator = '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=' | 'IN' | 'BETWEEN';

/** One HAVING condition: `column op literal`, `column IN (literals)`, `column BETWEEN a AND b`. */
export interface HavingCondition extends Located {
  kind: 'havingCondition';
  column: Name;
  /** Undefined when recovery could not find one. */
  operator?: HavingOperator;
  /** Where the operator is written (set with `operator`). */
  operatorAt?: Located;
  /** Comparisons: one literal; IN: the list; BETWEEN: two. Literals the parser could not read are left out. */
  values: HavingLiteral[];
}

export interface HavingClause extends Located {
  keyword: Keyword;
  conditions: HavingCondition[];
  /** OR / NOT keywords met in the clause (reported as unsupported). */
  unsupported: UnsupportedKeyword[];
}

export interface LimitClause extends Located {
  keyword: Keyword;
  value?: IntegerValue;
}

export interface Query extends Located {
  kind: 'query';
  /** 0-based position of the query in the document. */
  index: number;
  select: SelectClause;
  by?: ByClause;
  where?: WhereClause;
  compare?: CompareClause;
  having?: HavingClause;
  orderBy?: OrderByClause;
  limit?: LimitClause;
  /** The `;` that ends the query, if written. */
  semicolon?: Located;
  /** Syntax errors found inside this query. */
  syntaxErrors: SyntaxIssue[];
}

export interface Comment extends Located {
  kind: 'comment';
  style: 'line' | 'block';
  text: string;
  /** False for a block comment without its closing star-slash. */
  terminated: boolean;
}

export interface SyntaxIssue {
  message: string;
  range: Range;
  start: number;
  end: number;
}

export interface MqDocument {
  queries: Query[];
  comments: Comment[];
  /** Syntax errors outside any query (text before the first SELECT, unknown characters between queries...). */
  syntaxErrors: SyntaxIssue[];
  /** Length of the parsed text. */
  length: number;
}
