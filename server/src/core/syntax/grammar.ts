// The mq grammar (spec §3) as a Chevrotain parser with embedded actions. Its rules return raw results:
// the tokens of each part, from which nodes.ts builds the syntax tree. The `query` rule reads a whole
// well-formed query; the clause-body rules (nameList, condition, orderItems, limitValue) are also run on
// their own by recovery.ts, clause by clause, when a query has errors.
import { EmbeddedActionsParser, EOF, type IOrAlt, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as T from './lexer.js';

export interface RawOffset {
  sign: IToken;
  duration?: IToken;
}
export interface RawValue {
  token: IToken | undefined;
  offsets: RawOffset[];
}
export interface RawCondition {
  not?: IToken;
  filter?: IToken;
  op?: IToken;
  values: RawValue[];
  /** The condition's last token (set by the `query` rule; recovery takes the end of the unit instead). */
  last?: IToken;
}
export interface RawOrderItem {
  name: IToken;
  dir?: IToken;
}
export interface RawWhere {
  keyword: IToken;
  conditions: RawCondition[];
  /** The OR keywords between conditions (reported as unsupported). */
  ors: IToken[];
}
/** What follows COMPARE WITH: PREVIOUS PERIOD, or a duration and AGO. */
export interface RawCompareTarget {
  previous?: IToken;
  period?: IToken;
  duration?: IToken;
  ago?: IToken;
}
export interface RawCompare {
  compare: IToken;
  with?: IToken;
  target?: RawCompareTarget;
}
/** A HAVING literal: a number (with its minus sign, if any), a string or a name. */
export interface RawLiteral {
  minus?: IToken;
  token?: IToken;
}
export interface RawHavingCondition {
  not?: IToken;
  column?: IToken;
  op?: IToken;
  values: RawLiteral[];
  /** The condition's last token (set by the rule; recovery takes the end of the unit instead). */
  last?: IToken;
}
export interface RawHaving {
  keyword: IToken;
  conditions: RawHavingCondition[];
  ors: IToken[];
}
export interface RawQuery {
  select: IToken;
  metrics: IToken[];
  by?: { keyword: IToken; names: IToken[] };
  where?: RawWhere;
  compare?: RawCompare;
  having?: RawHaving;
  orderBy?: { order: IToken; by: IToken; items: RawOrderItem[] };
  limit?: { keyword: IToken; value: IToken };
}

const TOKEN_LABELS: Record<string, string> = {
  Name: 'a name',
  DigitName: 'a name',
  Integer: 'an integer',
  Decimal: 'a decimal number',
  Duration: 'a duration such as 5s',
  SingleString: 'a string',
  DoubleString: 'a string',
  UnterminatedString: 'a string',
  Comma: "','",
  LParen: "'('",
  RParen: "')'",
  Semicolon: "';'",
  Equals: "'='",
  Less: "'<'",
  LessEq: "'<='",
  Greater: "'>'",
  GreaterEq: "'>='",
  BangEq: "'!='",
  LessGreater: "'<>'",
  Plus: "'+'",
  Minus: "'-'",
  EOF: 'the end of the query',
};

function label(type: TokenType): string {
  return TOKEN_LABELS[type.name] ?? type.name;
}

/** A token as quoted in a message (long words shortened). */
export function describeToken(t: IToken): string {
  if (t.tokenType === EOF) return 'the end of the query';
  const image = t.image.length > 40 ? `${t.image.slice(0, 40)}…` : t.image;
  return `'${image}'`;
}

function expectedList(types: TokenType[]): string {
  const labels = [...new Set(types.map(label))];
  if (labels.length <= 1) return labels[0] ?? 'something else';
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

const RULE_HINTS: Record<string, string> = {
  nameList: 'names separated by commas',
  condition: 'a condition such as channelCode = SMS',
  value: 'a value (a name, a string, a number, a duration, TRUE/FALSE, NOW or TODAY)',
  orderItems: 'result columns separated by commas, each optionally followed by ASC or DESC',
  limitValue: 'a positive integer',
  compareTarget: 'PREVIOUS PERIOD or a duration followed by AGO (for example 7d AGO)',
  havingCondition: 'a condition on a result column such as TOTAL_TRAFFIC_COUNT > 100',
  literal: 'a number, a string or a name',
};

/** A decimal number where WHERE expects a value: say where decimals belong. */
function decimalHint(found: IToken | undefined, ruleName: string): string {
  return found?.tokenType === T.Decimal && ruleName !== 'literal' && ruleName !== 'havingCondition'
    ? ' Numbers with a fraction are allowed only in HAVING; WHERE takes whole numbers.'
    : '';
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const hint =
      ruleName === 'nameList' || ruleName === 'orderItems'
        ? ` (${RULE_HINTS[ruleName]})`
        : ruleName === 'compareTarget'
          ? `: after COMPARE WITH write ${RULE_HINTS[ruleName]}`
          : '';
    return `Expected ${label(expected)} but found ${describeToken(actual)}${hint}.${decimalHint(actual, ruleName)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant, ruleName }) {
    return `Unexpected ${describeToken(firstRedundant)}${RULE_HINTS[ruleName] ? `: expected ${RULE_HINTS[ruleName]}` : ''}.`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const first = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]).filter((t): t is TokenType => !!t));
    const found = actual[0];
    return `Expected ${RULE_HINTS[ruleName] ?? expectedList(first)} but found ${found ? describeToken(found) : 'nothing'}.${decimalHint(found, ruleName)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const first = expectedIterationPaths.map((p) => p[0]).filter((t): t is TokenType => !!t);
    const found = actual[0];
    return `Expected ${RULE_HINTS[ruleName] ?? expectedList(first)} but found ${found ? describeToken(found) : 'nothing'}.`;
  },
};

export interface GrammarOptions {
  /** Chevrotain's in-rule recovery (token insertion/deletion, re-sync); only the clause-by-clause path needs it. */
  recovery: boolean;
  /** Run Chevrotain's grammar validations (slow; the test suite does, through grammarSelfCheck). */
  validate?: boolean;
}

export class MqGrammar extends EmbeddedActionsParser {
  /** The condition being parsed, kept so that a condition broken half-way still reaches the analyser. */
  partial: RawCondition | undefined;
  /** Where value() records the values it starts parsing. */
  private sink: RawValue[] | undefined;

  constructor(options: GrammarOptions) {
    super(T.allTokens, {
      recoveryEnabled: options.recovery,
      maxLookahead: 2,
      errorMessageProvider: messages,
      skipValidations: !options.validate,
    });
    this.performSelfAnalysis();
  }

  /**
   * A whole query: SELECT metrics [BY dimensions] [WHERE conditions] [COMPARE WITH target] [HAVING conditions]
   * [ORDER BY items] [LIMIT n].
   */
  query = this.RULE('query', (): RawQuery => {
    const q: RawQuery = { select: this.CONSUME(T.Select), metrics: this.SUBRULE(this.nameList) };
    this.OPTION(() => {
      q.by = { keyword: this.CONSUME(T.By), names: this.SUBRULE2(this.nameList) };
    });
    this.OPTION2(() => {
      q.where = this.SUBRULE(this.whereClause);
    });
    this.OPTION5(() => {
      const compare = this.CONSUME(T.Compare);
      const withTok = this.CONSUME(T.With);
      q.compare = { compare, with: withTok, target: this.SUBRULE(this.compareTarget) };
    });
    this.OPTION6(() => {
      q.having = this.SUBRULE(this.havingClause);
    });
    this.OPTION3(() => {
      q.orderBy = { order: this.CONSUME(T.Order), by: this.CONSUME2(T.By), items: this.SUBRULE(this.orderItems) };
    });
    this.OPTION4(() => {
      q.limit = { keyword: this.CONSUME(T.Limit), value: this.SUBRULE(this.limitValue) };
    });
    return q;
  });

  whereClause = this.RULE('whereClause', (): RawWhere => {
    const w: RawWhere = { keyword: this.CONSUME(T.Where), conditions: [], ors: [] };
    w.conditions.push(this.SUBRULE(this.condition));
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.And) }, { ALT: () => w.ors.push(this.CONSUME(T.Or)) }]);
      w.conditions.push(this.SUBRULE2(this.condition));
    });
    return w;
  });

  // The hot rules keep their alternatives in arrays built once (Chevrotain's advice for speed: no arrays
  // and closures allocated per call); the values being read go to `sink`, not to a captured local.

  nameList = this.RULE('nameList', (): IToken[] => {
    const out: IToken[] = [];
    this.ACTION(() => (this.names = out));
    this.AT_LEAST_ONE_SEP((this.nameListDef ??= { SEP: T.Comma, DEF: () => this.nameItem() }));
    return out;
  });
  private names: IToken[] | undefined;
  private nameListDef: { SEP: TokenType; DEF: () => void } | undefined;
  private nameItem(): void {
    const t = this.CONSUME(T.Name);
    this.names?.push(t);
  }

  value = this.RULE('value', (): RawValue => {
    const rv: RawValue = { token: undefined, offsets: [] };
    this.ACTION(() => {
      this.sink?.push(rv);
      this.current = rv;
    });
    rv.token = this.OR(
      (this.valueAlts ??= [
        { ALT: () => this.CONSUME(T.Name) },
        { ALT: () => this.CONSUME(T.Integer) },
        { ALT: () => this.CONSUME(T.Duration) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.timeValue() },
      ]),
    );
    return rv;
  });
  private valueAlts: IOrAlt<IToken>[] | undefined;
  /** The value being read (its time offsets are added to it). */
  private current: RawValue | undefined;

  /** A string, NOW or TODAY, then any number of `+ duration` / `- duration` offsets. */
  private timeValue(): IToken {
    const base = this.OR2(
      (this.timeBaseAlts ??= [
        { ALT: () => this.CONSUME(T.SingleString) },
        { ALT: () => this.CONSUME(T.DoubleString) },
        { ALT: () => this.CONSUME(T.UnterminatedString) },
        { ALT: () => this.CONSUME(T.Now) },
        { ALT: () => this.CONSUME(T.Today) },
      ]),
    );
    // Kept at once, so that a value broken in its offsets (`now -`) still has its base.
    if (this.current) this.current.token = base;
    this.MANY((this.offsetDef ??= () => this.timeOffset()));
    return base;
  }
  private timeBaseAlts: IOrAlt<IToken>[] | undefined;
  private offsetDef: (() => void) | undefined;
  private timeOffset(): void {
    const offset: RawOffset = { sign: this.OR3((this.signAlts ??= [{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }])) };
    this.current?.offsets.push(offset);
    offset.duration = this.CONSUME2(T.Duration);
  }
  private signAlts: IOrAlt<IToken>[] | undefined;

  condition = this.RULE('condition', (): RawCondition => {
    const c: RawCondition = { values: [] };
    this.ACTION(() => {
      this.partial = c;
      this.sink = c.values;
    });
    this.OPTION(() => {
      c.not = this.CONSUME(T.Not);
    });
    c.filter = this.CONSUME(T.Name);
    c.op = this.OR(
      (this.operatorAlts ??= [
        { ALT: () => this.comparison() },
        { ALT: () => this.inList() },
        { ALT: () => this.between() },
      ]),
    );
    this.ACTION(() => (c.last = this.LA(0)));
    return c;
  });
  private operatorAlts: IOrAlt<IToken>[] | undefined;

  /** Records the operator at once, so that a condition broken after it still has it. */
  private operatorRead(op: IToken): void {
    if (this.partial) this.partial.op = op;
  }

  /** `op value` of a comparison (the grammar reads != and <> so that the analyser can explain them). */
  private comparison(): IToken {
    const op = this.OR2(
      (this.comparisonAlts ??= [
        { ALT: () => this.CONSUME(T.Equals) },
        { ALT: () => this.CONSUME(T.Less) },
        { ALT: () => this.CONSUME(T.LessEq) },
        { ALT: () => this.CONSUME(T.Greater) },
        { ALT: () => this.CONSUME(T.GreaterEq) },
        { ALT: () => this.CONSUME(T.BangEq) },
        { ALT: () => this.CONSUME(T.LessGreater) },
      ]),
    );
    this.operatorRead(op);
    this.SUBRULE(this.value);
    return op;
  }
  private comparisonAlts: IOrAlt<IToken>[] | undefined;

  /** `IN (value, ...)` */
  private inList(): IToken {
    const op = this.CONSUME(T.In);
    this.operatorRead(op);
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP((this.inListDef ??= { SEP: T.Comma, DEF: () => this.SUBRULE2(this.value) }));
    this.CONSUME(T.RParen);
    return op;
  }
  private inListDef: { SEP: TokenType; DEF: () => void } | undefined;

  /** `BETWEEN value AND value` */
  private between(): IToken {
    const op = this.CONSUME(T.Between);
    this.operatorRead(op);
    this.SUBRULE3(this.value);
    this.CONSUME(T.And);
    this.SUBRULE4(this.value);
    return op;
  }

  orderItems = this.RULE('orderItems', (): RawOrderItem[] => {
    const out: RawOrderItem[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const item: RawOrderItem = { name: this.CONSUME(T.Name) };
        this.OPTION(() => {
          item.dir = this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]);
        });
        out.push(item);
      },
    });
    return out;
  });

  limitValue = this.RULE('limitValue', (): IToken => this.CONSUME(T.Integer));

  /** The target being read, kept so that a target broken half-way (`PREVIOUS` alone) still reaches the tree. */
  partialTarget: RawCompareTarget | undefined;

  /** `PREVIOUS PERIOD` or `duration AGO`. */
  compareTarget = this.RULE('compareTarget', (): RawCompareTarget => {
    const t: RawCompareTarget = {};
    this.ACTION(() => (this.partialTarget = t));
    this.OR([
      {
        ALT: () => {
          t.previous = this.CONSUME(T.Previous);
          t.period = this.CONSUME(T.Period);
        },
      },
      {
        ALT: () => {
          t.duration = this.CONSUME(T.Duration);
          t.ago = this.CONSUME(T.Ago);
        },
      },
    ]);
    return t;
  });

  havingClause = this.RULE('havingClause', (): RawHaving => {
    const h: RawHaving = { keyword: this.CONSUME(T.Having), conditions: [], ors: [] };
    h.conditions.push(this.SUBRULE(this.havingCondition));
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.And) }, { ALT: () => h.ors.push(this.CONSUME(T.Or)) }]);
      h.conditions.push(this.SUBRULE2(this.havingCondition));
    });
    return h;
  });

  /** The HAVING condition being parsed, kept so that one broken half-way still reaches the analyser. */
  partialHaving: RawHavingCondition | undefined;
  /** Where literal() records the literals it starts parsing. */
  private literalSink: RawLiteral[] | undefined;

  /** `column op literal`, `column IN (literal, ...)` or `column BETWEEN literal AND literal`. */
  havingCondition = this.RULE('havingCondition', (): RawHavingCondition => {
    const c: RawHavingCondition = { values: [] };
    this.ACTION(() => {
      this.partialHaving = c;
      this.literalSink = c.values;
    });
    this.OPTION(() => {
      c.not = this.CONSUME(T.Not);
    });
    c.column = this.CONSUME(T.Name);
    const read = (op: IToken): IToken => {
      this.ACTION(() => (c.op = op));
      return op;
    };
    c.op = this.OR([
      {
        ALT: () => {
          const op = read(
            this.OR2([
              { ALT: () => this.CONSUME(T.Equals) },
              { ALT: () => this.CONSUME(T.BangEq) },
              { ALT: () => this.CONSUME(T.LessGreater) },
              { ALT: () => this.CONSUME(T.Less) },
              { ALT: () => this.CONSUME(T.LessEq) },
              { ALT: () => this.CONSUME(T.Greater) },
              { ALT: () => this.CONSUME(T.GreaterEq) },
            ]),
          );
          this.SUBRULE(this.literal);
          return op;
        },
      },
      {
        ALT: () => {
          const op = read(this.CONSUME(T.In));
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.literal) });
          this.CONSUME(T.RParen);
          return op;
        },
      },
      {
        ALT: () => {
          const op = read(this.CONSUME(T.Between));
          this.SUBRULE3(this.literal);
          this.CONSUME(T.And);
          this.SUBRULE4(this.literal);
          return op;
        },
      },
    ]);
    this.ACTION(() => (c.last = this.LA(0)));
    return c;
  });

  literal = this.RULE('literal', (): RawLiteral => {
    const l: RawLiteral = {};
    this.ACTION(() => this.literalSink?.push(l));
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => {
            l.minus = this.CONSUME(T.Minus);
          });
          l.token = this.OR2([{ ALT: () => this.CONSUME(T.Integer) }, { ALT: () => this.CONSUME(T.Decimal) }]);
        },
      },
      { ALT: () => (l.token = this.CONSUME(T.SingleString)) },
      { ALT: () => (l.token = this.CONSUME(T.DoubleString)) },
      { ALT: () => (l.token = this.CONSUME(T.UnterminatedString)) },
      { ALT: () => (l.token = this.CONSUME(T.Name)) },
    ]);
    return l;
  });
}

/** Runs Chevrotain's grammar and lexer self-checks (left recursion, ambiguities, token definitions). */
export function grammarSelfCheck(): string[] {
  try {
    new MqGrammar({ recovery: true, validate: true });
    return T.lexerSelfCheck();
  } catch (e) {
    return [String(e)];
  }
}
