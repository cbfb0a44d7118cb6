// mq tokens (spec §2), built with Chevrotain's lexer.
// Keywords are matched as plain words and re-typed in one pass afterwards: a single word pattern plus a
// table lookup is faster than one case-insensitive pattern per keyword, and it keeps `SELECTED` a name.
import { createToken, Lexer, type IToken, type TokenType, type ILexingError, type ILexingResult } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
/** A block comment that never closes: everything to the end of the text. */
export const UnterminatedBlockComment = createToken({
  name: 'UnterminatedBlockComment',
  pattern: /\/\*[\s\S]*/,
  group: 'comments',
  line_breaks: true,
});

export const Name = createToken({ name: 'Name', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
// Spec §2: a word that starts with digits and continues with letters (the sender type 10DLC) is a name.
export const DigitName = createToken({ name: 'DigitName', pattern: /[0-9]+[A-Za-z_][A-Za-z0-9_]*/, categories: [Name] });
// An integer directly followed by a unit, and not by more word characters (10DLC is a name, 10d a duration).
export const Duration = createToken({ name: 'Duration', pattern: /[0-9]+(?:ms|MS|Ms|mS|[smhdwSMHDW])(?![A-Za-z0-9_])/ });
/** A number with a fraction (`0.95`, `12.5`): valid only in HAVING (spec §8.1); WHERE takes integers. */
export const Decimal = createToken({ name: 'Decimal', pattern: /[0-9]+\.[0-9]+/ });
export const Integer = createToken({ name: 'Integer', pattern: /[0-9]+/ });

export const SingleString = createToken({ name: 'SingleString', pattern: /'(?:[^'\r\n]|'')*'/ });
export const DoubleString = createToken({ name: 'DoubleString', pattern: /"(?:[^"\r\n]|"")*"/ });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /['"][^\r\n]*/ });

export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';' });
export const LessEq = createToken({ name: 'LessEq', pattern: '<=' });
export const LessGreater = createToken({ name: 'LessGreater', pattern: '<>' });
export const Less = createToken({ name: 'Less', pattern: '<' });
export const GreaterEq = createToken({ name: 'GreaterEq', pattern: '>=' });
export const Greater = createToken({ name: 'Greater', pattern: '>' });
export const BangEq = createToken({ name: 'BangEq', pattern: '!=' });
export const Equals = createToken({ name: 'Equals', pattern: '=' });
export const Plus = createToken({ name: 'Plus', pattern: '+' });
export const Minus = createToken({ name: 'Minus', pattern: '-' });

const keyword = (word: string): TokenType => createToken({ name: word, pattern: Lexer.NA });
export const Select = keyword('SELECT');
export const By = keyword('BY');
export const Where = keyword('WHERE');
export const And = keyword('AND');
export const Or = keyword('OR');
export const Not = keyword('NOT');
export const In = keyword('IN');
export const Between = keyword('BETWEEN');
export const Order = keyword('ORDER');
export const Asc = keyword('ASC');
export const Desc = keyword('DESC');
export const Limit = keyword('LIMIT');
export const True = keyword('TRUE');
export const False = keyword('FALSE');
export const Now = keyword('NOW');
export const Today = keyword('TODAY');
export const Compare = keyword('COMPARE');
export const With = keyword('WITH');
export const Previous = keyword('PREVIOUS');
export const Period = keyword('PERIOD');
export const Ago = keyword('AGO');
export const Having = keyword('HAVING');

export const KEYWORDS: ReadonlyMap<string, TokenType> = new Map(
  [Select, By, Where, And, Or, Not, In, Between, Order, Asc, Desc, Limit, True, False, Now, Today, Compare, With, Previous, Period, Ago, Having].map(
    (t) => [t.name, t],
  ),
);

/** Every token type the parser knows, keywords included (they are produced by the re-typing pass). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  Duration,
  DigitName,
  Decimal,
  Integer,
  Name,
  SingleString,
  DoubleString,
  UnterminatedString,
  Comma,
  LParen,
  RParen,
  Semicolon,
  LessEq,
  LessGreater,
  Less,
  GreaterEq,
  Greater,
  BangEq,
  Equals,
  Plus,
  Minus,
  ...KEYWORDS.values(),
];

const MAX_KEYWORD_LENGTH = Math.max(...[...KEYWORDS.keys()].map((k) => k.length));

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  errors: ILexingError[];
}

/** A lexer for mq text; one per syntax instance (see createSyntax), reused for every text. */
export interface MqLexer {
  /** Splits text into tokens; words that are keywords get their keyword type. Never throws. */
  lex(text: string): LexResult;
}

/**
 * Builds the lexer. Chevrotain's lexer self-checks are slow, so they run only when `validate` is set (the
 * test suite does, through grammarSelfCheck).
 */
export function createLexer(options: { validate?: boolean } = {}): MqLexer {
  const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: !options.validate });
  return { lex: (text) => retypeKeywords(lexer.tokenize(text)) };
}

/** The lexer definition errors Chevrotain finds (empty when the token set is sound). */
export function lexerSelfCheck(): string[] {
  const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', deferDefinitionErrorsHandling: true });
  return lexer.lexerDefinitionErrors.map((e) => e.message);
}

function retypeKeywords(result: ILexingResult): LexResult {
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // Keywords are 2 to 8 letters long: longer words (most metric, dimension and filter names) are never
    // upper-cased here.
    if (t.tokenType === Name && t.image.length <= MAX_KEYWORD_LENGTH) {
      const kw = KEYWORDS.get(t.image.toUpperCase());
      if (kw) {
        t.tokenType = kw;
        t.tokenTypeIdx = kw.tokenTypeIdx!;
      }
    }
  }
  return { tokens, comments: result.groups['comments'] ?? [], errors: result.errors };
}

export function isKeyword(t: IToken, type: TokenType): boolean {
  return t.tokenType === type;
}
