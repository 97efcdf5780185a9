/**
 * The scripts `awsmfa completion SHELL` prints (pure). Each is a thin
 * adapter: it hands the words typed so far to `awsmfa __complete -- ...`
 * and offers what comes back, one candidate a line. Everything about
 * commands, flags and profiles stays in TypeScript (completeWords.ts).
 */
export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# awsmfa completion for bash. Add to ~/.bashrc:
#   eval "$(awsmfa completion bash)"
_awsmfa_complete() {
  local IFS=$'\\n'
  local words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  COMPREPLY=($(awsmfa __complete -- "\${words[@]}" 2>/dev/null))
}
complete -o bashdefault -o default -F _awsmfa_complete awsmfa
`;

const ZSH = `#compdef awsmfa
# awsmfa completion for zsh. Add to ~/.zshrc (after compinit):
#   eval "$(awsmfa completion zsh)"
# or save it as _awsmfa in a directory on $fpath.
_awsmfa() {
  local -a candidates
  candidates=(\${(f)"$(awsmfa __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)"})
  if (( \${#candidates} )); then
    compadd -Q -- "\${candidates[@]}"
  else
    _default
  fi
}
if (( $+functions[compdef] )); then
  compdef _awsmfa awsmfa
fi
`;

const FISH = `# awsmfa completion for fish. Save as ~/.config/fish/completions/awsmfa.fish:
#   awsmfa completion fish > ~/.config/fish/completions/awsmfa.fish
function __awsmfa_complete
    set -l words (commandline -opc)
    set -e words[1]
    awsmfa __complete -- $words (commandline -ct) 2>/dev/null
end
complete -c awsmfa -f -a '(__awsmfa_complete)'
`;

const POWERSHELL = `# awsmfa completion for PowerShell. Add to your $PROFILE:
#   awsmfa completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName awsmfa -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements |
        Where-Object { $_.Extent.EndOffset -le $cursorPosition } |
        Select-Object -Skip 1 |
        ForEach-Object { $_.ToString() })
    # Windows PowerShell drops an empty argument on its way to a program:
    # a new word is said with --new-word instead.
    $new = @()
    if ($wordToComplete -eq '') { $new = @('--new-word') }
    & awsmfa __complete @new -- @words 2>$null | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`;

export function completionScript(shell: Shell): string {
  switch (shell) {
    case "bash":
      return BASH;
    case "zsh":
      return ZSH;
    case "fish":
      return FISH;
    case "powershell":
      return POWERSHELL;
  }
}
