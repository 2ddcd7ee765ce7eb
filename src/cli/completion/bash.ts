/** The bash completion script, generated from the completion flags (flags.ts). */
import { COMMANDS, connectionFlags, names, pattern, type CompletionFlag } from './flags.js';

export function bashScript(flags: readonly CompletionFlag[]): string {
  const connection = connectionFlags();
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
    .map(
      (f) => `    ${pattern([f])}) COMPREPLY=($(compgen -W "${(f.values as { words: readonly string[] }).words.join(' ')}" -- "$cur")) ;;`,
    );

  // `-t short web`: the style is not the query
  const skipOptional = flags
    .filter((f) => f.arg === 'optional' && f.values.kind === 'words')
    .map(
      (f) =>
        `      ${pattern([f])}) case \${COMP_WORDS[i+1]} in ${(f.values as { words: readonly string[] }).words.join('|')}) (( i++ )) ;; esac ;;`,
    );

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
  local cur prev word next i
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

  # the flags that choose the cluster and the namespace
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
      --kubeconfig|--context|--config|${connection.values.join('|')}) [[ -n $next ]] && _ktail_scope+=("$word" "$next") ;;
      ${connection.switches.join('|')}) _ktail_scope+=("$word") ;;
      -n|--namespace) [[ -n $next ]] && _ktail_scope+=(-n "$next") ;;
      -n?*) _ktail_scope+=(-n "\${word#-n}") ;;
      -A|--all-namespaces) _ktail_scope+=(-A) ;;
    esac
    case $word in
      ${pattern(valued)}) (( i++ )); [[ \${COMP_WORDS[i]} == '=' ]] && (( i++ )) ;;
${skipOptional.join('\n')}
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
  # QUERY (each of them: several follow their union): a pod name, or KIND/NAME
  if [[ $cur == */* ]]; then
    COMPREPLY+=($(compgen -W "$(_ktail_names workloads "\${cur%%/*}")" -- "$cur"))
  else
    COMPREPLY+=($(compgen -W "$(_ktail_names pods)" -- "$cur"))
  fi
}

complete -F _ktail ${COMMANDS.join(' ')}
`;
}
