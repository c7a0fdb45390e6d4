package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// positions maps key paths such as "course.batches[1].id" to the line they
// are written on, so that problems found after decoding point into the file.
// Array tables and array elements are indexed from 0 in file order.
type positions struct {
	lines map[string]int
	// dup is the first key (or table) written twice and dupLine its second
	// line: the decoder reports that without a position.
	dup     string
	dupLine int
}

// indexPositions walks the TOML syntax tree of data. A document the parser
// rejects gives what was indexed before the error.
func indexPositions(data []byte) positions {
	pos := positions{lines: map[string]int{}}
	arrays := map[string]int{}   // array table path -> elements so far
	headers := map[string]bool{} // paths of [table] headers
	var p unstable.Parser
	p.Reset(data)
	line := func(n *unstable.Node) int { return p.Shape(n.Raw).Start.Line }
	seen := func(path string, l int) {
		if pos.dup == "" {
			pos.dup, pos.dupLine = path, l
		}
	}
	var value func(path string, n *unstable.Node, l int)
	value = func(path string, n *unstable.Node, l int) {
		if n.Raw.Length > 0 {
			l = line(n)
		}
		if pos.has(path) {
			seen(path, l)
		}
		pos.lines[path] = l
		it := n.Children()
		for i := 0; it.Next(); i++ {
			switch c := it.Node(); n.Kind {
			case unstable.Array:
				value(fmt.Sprintf("%s[%d]", path, i), c, l)
			case unstable.InlineTable:
				k, kl := keyPath(path, c.Key(), line)
				value(k, c.Value(), kl)
			}
		}
	}
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			k, l := keyPath(prefix, e.Key(), line)
			value(k, e.Value(), l)
		case unstable.Table, unstable.ArrayTable:
			prefix = ""
			it := e.Key()
			l := 0
			for it.Next() {
				if l == 0 {
					l = line(it.Node())
				}
				prefix = joinKey(prefix, string(it.Node().Data))
				n, isArray := arrays[prefix]
				switch {
				case e.Kind == unstable.ArrayTable && it.IsLast():
					arrays[prefix] = n + 1
					prefix += fmt.Sprintf("[%d]", n)
				case isArray:
					prefix += fmt.Sprintf("[%d]", n-1)
				}
				if !pos.has(prefix) {
					pos.lines[prefix] = l
				}
			}
			if e.Kind == unstable.Table {
				if headers[prefix] {
					seen(prefix, l)
				}
				headers[prefix] = true
			}
		}
	}
	return pos
}

// keyPath returns prefix extended by a (dotted) key and the key's line.
func keyPath(prefix string, it unstable.Iterator, line func(*unstable.Node) int) (string, int) {
	l := 0
	for it.Next() {
		if l == 0 {
			l = line(it.Node())
		}
		prefix = joinKey(prefix, string(it.Node().Data))
	}
	return prefix, l
}

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// has reports whether the file sets key.
func (ps positions) has(key string) bool {
	_, ok := ps.lines[key]
	return ok
}

// line returns the line of key or, when the file leaves it out, of the
// nearest table around it; 0 when there is none.
func (ps positions) line(key string) int {
	for key != "" {
		if l, ok := ps.lines[key]; ok {
			return l
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 0
}

// pathAt returns the indexed path of the key written at line whose names are
// k (the decoder reports "course.batches.colour", we want
// "course.batches[1].colour").
func (ps positions) pathAt(line int, k toml.Key) string {
	want := strings.Join(k, ".")
	for p, l := range ps.lines {
		if l == line && arrayIndex.ReplaceAllString(p, "") == want {
			return p
		}
	}
	return want
}

// keyAt returns the key written at line: the shortest path on it, which
// is the key of a key = value line rather than an element of its value.
func (ps positions) keyAt(line int) string {
	best := ""
	for p, l := range ps.lines {
		if l == line && (best == "" || len(p) < len(best) || len(p) == len(best) && p < best) {
			best = p
		}
	}
	if best == "" {
		return "value"
	}
	return best
}

var arrayIndex = regexp.MustCompile(`\[\d+\]`)
