package drill

import "strings"

// preprocess applies the #ifdef, #ifndef, #else and #endif lines of a
// script: the lines of branches not taken, and the directives themselves,
// become empty lines, so that line numbers stay those of the file. defined
// reports whether a symbol (FreeBSD, Linux, ...) is defined.
func preprocess(src string, defined func(string) bool) (string, error) {
	type frame struct {
		line     int
		taking   bool // this branch is taken
		parent   bool // the enclosing code is taken
		sawElse  bool
		anyTaken bool
	}
	var stack []frame
	taking := func() bool {
		if len(stack) == 0 {
			return true
		}
		f := stack[len(stack)-1]
		return f.parent && f.taking
	}
	lines := strings.Split(src, "\n")
	inComment := false
	for i, l := range lines {
		n := i + 1
		trim := strings.TrimSpace(l)
		if !inComment && strings.HasPrefix(trim, "#") {
			fields := strings.Fields(strings.TrimPrefix(trim, "#"))
			dir := ""
			if len(fields) > 0 {
				dir = fields[0]
			}
			arg := ""
			if len(fields) > 1 {
				arg = fields[1]
			}
			switch dir {
			case "ifdef", "ifndef":
				if arg == "" {
					return "", errf(n, "#%s without a symbol", dir)
				}
				cond := defined(arg)
				if dir == "ifndef" {
					cond = !cond
				}
				stack = append(stack, frame{line: n, taking: cond, parent: taking(), anyTaken: cond})
			case "else":
				if len(stack) == 0 {
					return "", errf(n, "#else without #ifdef")
				}
				f := &stack[len(stack)-1]
				if f.sawElse {
					return "", errf(n, "second #else for the #ifdef of line %d", f.line)
				}
				f.sawElse = true
				f.taking = !f.anyTaken
			case "endif":
				if len(stack) == 0 {
					return "", errf(n, "#endif without #ifdef")
				}
				stack = stack[:len(stack)-1]
			case "if", "elif", "define", "undef", "include":
				return "", unsupported(n, "preprocessor directive #%s (only #ifdef, #ifndef, #else and #endif)", dir)
			default:
				return "", errf(n, "unknown preprocessor directive %q", trim)
			}
			lines[i] = ""
			continue
		}
		if !taking() {
			lines[i] = ""
			continue
		}
		// Track /* */ comments so that a '#' inside one is not a directive.
		for s := l; ; {
			if inComment {
				j := strings.Index(s, "*/")
				if j < 0 {
					break
				}
				inComment = false
				s = s[j+2:]
				continue
			}
			j := strings.Index(s, "/*")
			k := strings.Index(s, "//")
			if j < 0 || (k >= 0 && k < j) {
				break
			}
			inComment = true
			s = s[j+2:]
		}
	}
	if len(stack) > 0 {
		return "", errf(stack[len(stack)-1].line, "#ifdef without #endif")
	}
	return strings.Join(lines, "\n"), nil
}
