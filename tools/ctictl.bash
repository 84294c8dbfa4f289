# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bash completion for ctictl: options, commands, and each command's
# arguments as `ctictl --json --help` describes them (so a command added
# to ctictl completes without an edit here): LINE from a running ctid
# (`ctictl lines`, through the -u URI given; a PHONE is named like its
# line), provider NAMEs from
# `ctictl providers`, and a|b|c choices from the usage itself.
# Installed as /usr/share/bash-completion/completions/ctictl.

# The commands of ctictl $1, "name<TAB>args" a line; asked once per shell.
_ctictl_commands()
{
	if [[ -z ${_ctictl_cmd_cache-} || ${_ctictl_cmd_prog-} != "$1" ]]; then
		_ctictl_cmd_prog=$1
		# json-c writes the keys in order: name, args, help
		_ctictl_cmd_cache=$("$1" --json --help 2>/dev/null |
			sed -e 's/^\[//' -e 's/\]$//' -e 's/},{/}\n{/g' |
			sed -n 's/^{"name":"\([^"]*\)","args":"\([^"]*\)".*/\1\t\2/p')
	fi
	printf '%s\n' "$_ctictl_cmd_cache"
}

# A column of a ctictl table (header skipped); quick to fail without ctid.
_ctictl_column()
{
	local col=$1
	shift
	timeout 2 "$@" 2>/dev/null | awk -v c="$col" 'NR > 1 { print $c }'
}

# The choices for usage token $1 (brackets and "..." gone) of command $2,
# the word before the current one being $3.
_ctictl_choices()
{
	local tok=$1 cmd=$2 prev=$3
	shift 3
	case $cmd:$tok in
	forward:MODE) echo "none unconditional busy noanswer" ;;
	phone-hook:DEVICE) echo "handset speaker headset" ;;
	phone-hook:MODE) echo "onhook mic speaker offhook" ;;
	phone-lamp:MODE) echo "off steady wink flash flutter" ;;
	tone:TONE) echo "beep billing busy ringback" ;;
	agent:VALUE)
		[[ $prev == state ]] &&
			echo "logged-out ready not-ready after-call-work" ;;
	devspec:--) echo "-- inbound script farend button status unplug plug" ;;
	*:LINE | *:PHONE) _ctictl_column 2 "$@" lines ;;	# a phone: its line
	load:NAME | unload:NAME | reload:NAME)
		_ctictl_column 1 "$@" providers ;;
	*'|'*) echo "${tok//|/ }" ;;
	esac
}

_ctictl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local prog=${COMP_WORDS[0]} i cmd='' cmdidx=0 spec line n tok
	local -a ctl=("$prog") toks

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-u | --uri)
			ctl+=(-u "${COMP_WORDS[i+1]}")
			((i++))
			;;
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			cmdidx=$i
			break
			;;
		esac
	done
	COMPREPLY=()
	if [[ -z $cmd ]]; then
		case $prev in
		-u | --uri) return ;;
		esac
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "-u --uri -j --json -h --help --version" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_ctictl_commands "$prog" | cut -f1)" -- "$cur")
		fi
		return
	fi
	if [[ $cmd == monitor ]]; then
		case $prev in -n | --count) return ;; esac
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "-n --count" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_ctictl_column 2 "${ctl[@]}" lines)" -- "$cur")
		fi
		return
	fi
	spec=
	while IFS=$'\t' read -r n line; do
		[[ $n == "$cmd" ]] && spec=$line
	done < <(_ctictl_commands "$prog")
	read -ra toks <<<"$spec"
	n=$((COMP_CWORD - cmdidx - 1))
	((${#toks[@]})) || return
	if ((n >= ${#toks[@]})); then
		# only a last "WORD..." repeats
		[[ ${toks[-1]} == *... ]] || return
		n=$((${#toks[@]} - 1))
	fi
	tok=${toks[n]}
	tok=${tok#[}
	tok=${tok%]}
	tok=${tok%...}
	mapfile -t COMPREPLY < <(compgen -W "$(_ctictl_choices "$tok" "$cmd" "$prev" "${ctl[@]}")" -- "$cur")
}
complete -F _ctictl ctictl
