/** The zsh completion script, generated from the completion flags (flags.ts). */
import { COMMANDS, connectionFlags, names, type CompletionFlag } from './flags.js';

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

export function zshScript(flags: readonly CompletionFlag[]): string {
  const connection = connectionFlags();
  const specs = flags
    .flatMap(zshSpecs)
    .map((s) => `    ${s} \\`)
    .join('\n');
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
      --kubeconfig|--context|--config|${connection.values.join('|')}) [[ -n $next ]] && scope+=("$word" "$next") ;;
      --kubeconfig=*|--context=*|--config=*|--namespace=*|${[...connection.values, ...connection.switches].map((f) => `${f}=*`).join('|')}) scope+=("\${word/=\\~/=$HOME}") ;;
      ${connection.switches.join('|')}) scope+=("$word") ;;
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
    '*:pod query or KIND/NAME:_ktail_query'
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _ktail "$@"
else
  compdef _ktail ${COMMANDS.join(' ')}
fi
`;
}
