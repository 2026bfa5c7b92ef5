/**
 * What kind of value a setting holds: how the shell tool's spelling of it is read (`--nvm=4`,
 * `__nets_vm=0,1`), written back (`xcluster env`) and checked. Values are parsed, never evaluated.
 */
export interface SettingKind {
  /** The value from its text, or undefined when the text breaks `rule`. */
  parse(raw: string): unknown
  /** The text that `parse` reads back to the same value. */
  format(value: unknown): string
  /** What `parse` asks of the text, for an error. */
  rule: string
  /** Whether a value in the config file has this kind's type. */
  holds(value: unknown): boolean
  /** What `holds` asks, for an error. */
  typeRule: string
}

/**
 * A list written as one text with `join` between its parts (what `xcluster env` prints and reads back): a part may not
 * hold the separator, nor a control character (a newline in a kernel argument, an escape in a qemu word).
 */
const stringList = (separator: RegExp | string, join: string, part: RegExp, partRule: string): SettingKind => ({
  parse: (raw) => raw.split(separator).filter(Boolean),
  format: (value) => (value as string[]).join(join),
  rule: '',
  holds: (value) => Array.isArray(value) && value.every((word) => typeof word === 'string' && part.test(word)),
  typeRule: `must be a list of ${partRule}`,
})

const text = (rule = 'must not be empty'): SettingKind => ({
  parse: (raw) => (raw === '' ? undefined : raw),
  format: String,
  rule,
  holds: (value) => typeof value === 'string',
  typeRule: 'must be a string',
})

export const MAX_PATH = 1024
// Paths go into qemu options (`file=PATH,if=virtio`), where a comma would start another option.
export const PATH = new RegExp(`^[^,\\x00-\\x1f\\x7f]{1,${MAX_PATH}}$`)
const PATH_LENGTH = `at most ${MAX_PATH} characters`
export const PATH_RULE = `must be a path of ${PATH_LENGTH}, without commas, newlines or control characters`

const YES_NO = new Map([
  ['yes', true],
  ['true', true],
  ['1', true],
  ['no', false],
  ['false', false],
  ['0', false],
])

export const KINDS = {
  /** A whole number within the setting's limits. */
  count: {
    parse: (raw) => (/^\d{1,15}$/.test(raw) ? Number(raw) : undefined),
    format: String,
    rule: 'must be a whole number',
    holds: (value) => Number.isInteger(value),
    typeRule: 'must be a whole number',
  },
  /** Net numbers in NIC order: `0,1,2`. */
  nets: {
    parse: (raw) => (/^\d{1,3}(,\d{1,3}){0,255}$/.test(raw) ? raw.split(',').map(Number) : undefined),
    format: (value) => (value as number[]).join(','),
    rule: 'must be a comma-separated list of net numbers, e.g. 0,1,2',
    holds: (value) => Array.isArray(value),
    typeRule: 'must be a non-empty list of net numbers',
  },
  /** Words split at white space: kernel or qemu arguments. */
  words: stringList(/\s+/, ' ', /^[^\s\p{Cc}]{1,4096}$/u, 'words without spaces or control characters'),
  /** Names split at white space or commas: overlays. */
  names: stringList(/[\s,]+/, ' ', /^[^\s,\p{Cc}]{1,1024}$/u, 'names without spaces, commas or control characters'),
  /** Directories split at colons, as PATH is. */
  paths: stringList(':', ':', /^[^:,\p{Cc}]{1,1024}$/u, 'paths without colons, commas or control characters'),
  text: text(),
  /** A file or directory. */
  path: { ...text(), typeRule: PATH_RULE },
  /** One program name or path, no arguments. */
  program: {
    ...text('must be one program name or path; put further qemu words in __kvm_opt (--kvm-opt)'),
    parse: (raw) => (/^\S+$/.test(raw) ? raw : undefined),
  },
  /** yes/no, true/false, 1/0. */
  yesNo: {
    parse: (raw) => YES_NO.get(raw),
    format: (value) => (value ? 'yes' : 'no'),
    rule: 'must be yes or no',
    holds: (value) => typeof value === 'boolean',
    typeRule: 'must be true or false',
  },
} satisfies Record<string, SettingKind>
