/** The fish completion script, generated from the completion flags (flags.ts). */
import { COMMANDS, connectionFlags, type CompletionFlag } from './flags.js';

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

export function fishScript(flags: readonly CompletionFlag[]): string {
  const connection = connectionFlags();
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
            case --kubeconfig --context --config ${connection.values.join(' ')}
                test -n "$next"; and set -a scope $word $next
            case '--kubeconfig=*' '--context=*' '--config=*' '--namespace=*' '-n?*' ${[...connection.values, ...connection.switches].map((f) => `'${f}=*'`).join(' ')} ${connection.switches.join(' ')}
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
