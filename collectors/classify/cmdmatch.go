package classify

import "strings"

// textKinds applies cmdRules to a lower-cased command or action text.
func textKinds(s string, tool func(string)) kindSet {
	var k kindSet
	for i := range cmdRules {
		r := &cmdRules[i]
		if containsAtWord(s, r.pat) {
			k |= r.k
			if r.tool != "" && tool != nil {
				tool(r.tool)
			}
		}
	}
	return k
}

// containsAtWord reports whether pat occurs in s at the start of a word.
func containsAtWord(s, pat string) bool {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], pat)
		if i < 0 {
			return false
		}
		i += off
		if (i == 0 || !wordByte(s[i-1]) || !wordByte(pat[0])) && !inertLine(s, i) {
			return true
		}
		off = i + 1
	}
	return false
}

// inertLine reports whether the command around s[i] only names the tool,
// not runs it: a comment, or a command that removes, lists, prints or moves files
// (`rmz -f /opt/hostedtoolcache/CodeQL` frees disk space; it runs no CodeQL).
func inertLine(s string, i int) bool {
	start := strings.LastIndexAny(s[:i], "\n;&|") + 1 // the command it is part of
	f := strings.Fields(s[start:i])
	if len(f) > 0 && f[0] == "sudo" {
		f = f[1:]
	}
	if len(f) == 0 {
		return false
	}
	if strings.HasPrefix(f[0], "#") {
		return true
	}
	switch f[0] {
	case "rm", "rmz", "rmdir", "ls", "du", "echo", "printf", "mkdir", "touch", "chmod", "chown", "cp", "mv", "cd":
		return true
	}
	return false
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 'A' && c <= 'Z'
}
