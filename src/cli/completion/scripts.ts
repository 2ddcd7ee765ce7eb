/**
 * `ktail --completion bash|zsh|fish`: completion scripts generated from the flag table. Flags
 * and their fixed values are written into the script; contexts, namespaces, nodes, pods and
 * workload names come from `ktail __complete …` (complete.ts) when the user presses Tab, with
 * the `--kubeconfig`, `--context`, `-n`/`-A` and `--config` already on the command line.
 */
import { COMPLETION_SHELLS, FLAGS, oneOf, type FlagSpec } from '../flag-table.js';
import { completionFlags, type CompletionFlag } from './flags.js';

export const SHELLS = COMPLETION_SHELLS;
export type Shell = (typeof SHELLS)[number];

const COMMANDS = ['ktail', 'kubectl-ktail'] as const;

export function completionScript(shell: string, flags: readonly FlagSpec[] = FLAGS): string {
  switch (oneOf(shell, SHELLS, '--completion')) {
    case 'bash':
      return bashScript(completionFlags(flags));
    case 'zsh':
      return zshScript(completionFlags(flags));
    case 'fish':
      return fishScript(completionFlags(flags));
  }
}

function names(f: CompletionFlag): string[] {
  return [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])];
}

function pattern(flags: readonly CompletionFlag[]): string {
  return flags.flatMap(names).join('|');
}

// ---- bash ------------------------------------------------------------------------------------

function bashScript(flags: readonly CompletionFlag[]): string {
  const all = flags.flatMap(names).sort().join(' ');
  const valued = flags.filter((f) => f.arg === 'required');
  const arms: string[] = [];
  for (const f of valued) {
    const v = f.values;
    let body: string;
    if (v.kind === 'words') body = `_ktail_reply "${v.words.join(' ')}"; return`;
    else if (v.kind === 'cluster') body = `_ktail_reply "$(_ktail_names ${v.what})"; return`;
    else if (v.kind === 'file') body = `compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return`;
    else body = 'return'; // free text: nothing to offer
    arms.push(`    ${pattern([f])}) ${body} ;;`);
  }
  // an optional value (-t [style]) may be followed by the query instead
  const optionalArms = flags
    .filter((f) => f.arg === 'optional' && f.values.kind === 'words')
    .map((f) => `    ${pattern([f])}) COMPREPLY=($(compgen -W "${(f.values as { words: readonly string[] }).words.join(' ')}" -- "$cur")) ;;`);

  // `-t short web`: the style is not the query
  const skipOptional = flags
    .filter((f) => f.arg === 'optional' && f.values.kind === 'words')
    .map((f) => `      ${pattern([f])}) case \${COMP_WORDS[i+1]} in ${(f.values as { words: readonly string[] }).words.join('|')}) (( i++ )) ;; esac ;;`);

  return `# ktail completion for bash. Load it in this shell:
#   source <(ktail --completion bash)
# or for every new shell:
#   ktail --completion bash > ~/.local/share/bash-completion/completions/ktail

# names from the cluster: ktail __complete WHAT, with the cluster flags of the command line
_ktail_names() {
  "\${_ktail_bin:-ktail}" __complete "$@" "\${_ktail_scope[@]}" 2>/dev/null
}

# offers $1's words for the current word, or for its last comma-separated item (-n a,b)
_ktail_reply() {
  local pre='' last=$cur
  if [[ $cur == *,* ]]; then
    pre=\${cur%,*},
    last=\${cur##*,}
  fi
  COMPREPLY=($(compgen -P "$pre" -W "$1" -- "$last"))
}

_ktail() {
  local cur prev word next i query=''
  local _ktail_bin=\${COMP_WORDS[0]/#\\~/$HOME}
  local -a _ktail_scope=()
  COMPREPLY=()
  cur=\${COMP_WORDS[COMP_CWORD]}
  prev=''
  (( COMP_CWORD > 0 )) && prev=\${COMP_WORDS[COMP_CWORD-1]}
  # bash splits --flag=value at '=': complete the value of the flag before it
  if [[ $cur == '=' ]]; then
    cur=''
  elif [[ $prev == '=' ]] && (( COMP_CWORD > 1 )); then
    prev=\${COMP_WORDS[COMP_CWORD-2]}
  fi

  # the flags that choose the cluster and the namespace, and whether QUERY is given already
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word=\${COMP_WORDS[i]}
    next=''
    (( i + 1 < COMP_CWORD )) && next=\${COMP_WORDS[i+1]}
    if [[ $next == '=' ]]; then
      next=''
      (( i + 2 < COMP_CWORD )) && next=\${COMP_WORDS[i+2]}
    fi
    next=\${next/#\\~/$HOME}
    case $word in
      --kubeconfig|--context|--config) [[ -n $next ]] && _ktail_scope+=("$word" "$next") ;;
      -n|--namespace) [[ -n $next ]] && _ktail_scope+=(-n "$next") ;;
      -n?*) _ktail_scope+=(-n "\${word#-n}") ;;
      -A|--all-namespaces) _ktail_scope+=(-A) ;;
    esac
    case $word in
      ${pattern(valued)}) (( i++ )); [[ \${COMP_WORDS[i]} == '=' ]] && (( i++ )) ;;
${skipOptional.join('\n')}
      -*) ;;
      =) ;;
      *) query=$word ;;
    esac
  done

  case $prev in
${arms.join('\n')}
${optionalArms.join('\n')}
  esac

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "${all}" -- "$cur"))
    return
  fi
  [[ -n $query ]] && return
  # QUERY: a pod name, or KIND/NAME
  if [[ $cur == */* ]]; then
    COMPREPLY+=($(compgen -W "$(_ktail_names workloads "\${cur%%/*}")" -- "$cur"))
  else
    COMPREPLY+=($(compgen -W "$(_ktail_names pods)" -- "$cur"))
  fi
}

complete -F _ktail ${COMMANDS.join(' ')}
`;
}

// ---- zsh -------------------------------------------------------------------------------------

/** Text inside an _arguments description: no brackets, colons or single quotes. */
function zshDescription(text: string): string {
  return text.replace(/\[/g, '(').replace(/\]/g, ')').replace(/:/g, ' -').replace(/'/g, '"').replace(/\\/g, '');
}

function zshAction(f: CompletionFlag): string {
  const v = f.values;
  switch (v.kind) {
    case 'none':
      return '';
    case 'words':
      return `(${v.words.join(' ')})`;
    case 'cluster':
      return `_ktail_cluster_names ${v.what}`;
    case 'file':
      return '_files';
    case 'text':
      return ' ';
  }
}

function zshSpecs(f: CompletionFlag): string[] {
  const desc = zshDescription(f.help);
  const rep = f.repeatable ? '*' : '';
  const placeholder = zshDescription(f.placeholder || f.long);
  return names(f).map((name) => {
    const long = name.startsWith('--');
    if (f.arg === 'none') return `'${rep}${name}[${desc}]'`;
    if (f.arg === 'optional') {
      // -t alone; --timestamps=short
      return long ? `'${rep}${name}=-[${desc}]::${placeholder}:${zshAction(f)}'` : `'${rep}${name}[${desc}]'`;
    }
    return `'${rep}${name}${long ? '=' : ''}[${desc}]:${placeholder}:${zshAction(f)}'`;
  });
}

function zshScript(flags: readonly CompletionFlag[]): string {
  const specs = flags.flatMap(zshSpecs).map((s) => `    ${s} \\`).join('\n');
  return `#compdef ${COMMANDS.join(' ')}
# ktail completion for zsh. Load it in this shell (after compinit):
#   source <(ktail --completion zsh)
# or for every new shell, as a file named _ktail on $fpath:
#   ktail --completion zsh > "\${fpath[1]}/_ktail"

# names from the cluster: ktail __complete WHAT, with the cluster flags of the command line
_ktail_names() {
  local -a scope
  local i word next
  for (( i = 2; i < CURRENT; i++ )); do
    word=\${words[i]}
    next=''
    (( i + 1 < CURRENT )) && next=\${words[i+1]}
    next=\${next/#\\~/$HOME}
    case $word in
      --kubeconfig|--context|--config) [[ -n $next ]] && scope+=("$word" "$next") ;;
      --kubeconfig=*|--context=*|--config=*|--namespace=*) scope+=("\${word/=\\~/=$HOME}") ;;
      -n|--namespace) [[ -n $next ]] && scope+=(-n "$next") ;;
      -n?*) scope+=(-n "\${word#-n}") ;;
      -A|--all-namespaces) scope+=(-A) ;;
    esac
  done
  "\${words[1]/#\\~/$HOME}" __complete "$@" "\${scope[@]}" 2>/dev/null
}

# _arguments puts its own options first: what to list is the last argument
_ktail_cluster_names() {
  local what=\${@[-1]}
  local -a names
  names=(\${(f)"$(_ktail_names $what)"})
  # a comma-separated list (-n a,b): complete its last item
  compset -P '*,'
  _wanted $what expl \${what%s} compadd -a names
}

_ktail_query() {
  local -a names
  if [[ $PREFIX == */* ]]; then
    names=(\${(f)"$(_ktail_names workloads \${PREFIX%%/*})"})
    _wanted workloads expl workload compadd -a names
  else
    names=(\${(f)"$(_ktail_names pods)"})
    _wanted pods expl pod compadd -a names
  fi
}

_ktail() {
  _arguments -S \\
${specs}
    '1:pod query or KIND/NAME:_ktail_query'
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _ktail "$@"
else
  compdef _ktail ${COMMANDS.join(' ')}
fi
`;
}

// ---- fish ------------------------------------------------------------------------------------

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishLine(f: CompletionFlag): string {
  const parts = ['complete -c $cmd'];
  if (f.short) parts.push(`-s ${f.short}`);
  parts.push(`-l ${f.long}`);
  const v = f.values;
  if (f.arg === 'required') {
    if (v.kind === 'file') parts.push('-r -F');
    else parts.push('-x');
    if (v.kind === 'words') parts.push(`-a ${fishQuote(v.words.join(' '))}`);
    if (v.kind === 'cluster') parts.push(`-a ${fishQuote(`(__ktail_list ${v.what})`)}`);
  } else if (f.arg === 'optional' && v.kind === 'words') {
    parts.push(`-a ${fishQuote(v.words.join(' '))}`);
  }
  parts.push(`-d ${fishQuote(f.help)}`);
  return `    ${parts.join(' ')}`;
}

function fishScript(flags: readonly CompletionFlag[]): string {
  return `# ktail completion for fish. Load it in this shell:
#   ktail --completion fish | source
# or for every new shell:
#   ktail --completion fish > ~/.config/fish/completions/ktail.fish

# names from the cluster: ktail __complete WHAT, with the cluster flags of the command line
function __ktail_names
    set -l tokens (commandline -opc)
    set -l scope
    set -l n (count $tokens)
    for i in (seq 2 $n)
        set -l word $tokens[$i]
        set -l next ''
        if test $i -lt $n
            set next (string replace -r '^~' $HOME -- $tokens[(math $i + 1)])
        end
        switch $word
            case --kubeconfig --context --config
                test -n "$next"; and set -a scope $word $next
            case '--kubeconfig=*' '--context=*' '--config=*' '--namespace=*' '-n?*'
                set -a scope $word
            case -n --namespace
                test -n "$next"; and set -a scope -n $next
            case -A --all-namespaces
                set -a scope -A
        end
    end
    set -l bin (string replace -r '^~' $HOME -- $tokens[1])
    command -q $bin; or return
    $bin __complete $argv $scope 2>/dev/null
end

# a comma-separated list (-n a,b): complete its last item
function __ktail_list
    set -l cur (commandline -ct)
    set -l pre ''
    if string match -q -- '*,*' $cur
        set pre (string replace -r '[^,]*$' '' -- $cur)
    end
    for name in (__ktail_names $argv)
        echo $pre$name
    end
end

# QUERY: a pod name, or KIND/NAME
function __ktail_query
    set -l cur (commandline -ct)
    if string match -q -- '*/*' $cur
        __ktail_names workloads (string split -m1 / -- $cur)[1]
    else
        __ktail_names pods
    end
end

for cmd in ${COMMANDS.join(' ')}
    complete -c $cmd -e
    complete -c $cmd -f
    complete -c $cmd -n 'not string match -q -- "-*" (commandline -ct)' -a '(__ktail_query)'
${flags.map(fishLine).join('\n')}
end
`;
}
