package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// isHTMLTag reports whether Telegram accepts tag with parse_mode HTML.
func isHTMLTag(tag string) bool {
	switch tag {
	case "b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
		"span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji":
		return true
	}
	return false
}

// parseHTML checks text the way Telegram does for parse_mode HTML and returns
// it with tags removed and entities decoded. Unlike Telegram it also rejects a
// bare '>' and '&', so that unescaped user input is caught in tests.
func parseHTML(text string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(text); {
		switch c := text[i]; c {
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			tag := text[i+1 : i+end]
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				name = strings.ToLower(strings.TrimSpace(name))
				if len(open) == 0 {
					return "", fmt.Errorf("Unexpected end tag at byte offset %d", i)
				}
				if want := open[len(open)-1]; name != want {
					return "", fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, want, name)
				}
				open = open[:len(open)-1]
			} else {
				name, err := checkStartTag(tag, i)
				if err != nil {
					return "", err
				}
				open = append(open, name)
			}
			i += end + 1
		case '>':
			return "", fmt.Errorf("Unexpected \">\" at byte offset %d", i)
		case '&':
			r, n, err := decodeEntity(text[i:], i)
			if err != nil {
				return "", err
			}
			out.WriteString(r)
			i += n
		default:
			out.WriteByte(c)
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return out.String(), nil
}

// checkStartTag validates the inside of "<...>" found at byte offset at and
// returns the tag name.
func checkStartTag(tag string, at int) (string, error) {
	name, rest, _ := strings.Cut(tag, " ")
	name = strings.ToLower(name)
	if !isHTMLTag(name) {
		return "", fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, at)
	}
	attrs, err := parseAttrs(rest, at)
	if err != nil {
		return "", err
	}
	switch name {
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return "", fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", at)
		}
	case "a":
		if strings.TrimSpace(attrs["href"]) == "" {
			return "", fmt.Errorf("Tag \"a\" must have attribute \"href\" at byte offset %d", at)
		}
	case "tg-emoji":
		if attrs["emoji-id"] == "" {
			return "", fmt.Errorf("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %d", at)
		}
	}
	return name, nil
}

// parseAttrs reads name="value", name='value', name=value and bare names.
func parseAttrs(s string, at int) (map[string]string, error) {
	attrs := make(map[string]string)
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		n := strings.IndexAny(s, "= ")
		if n < 0 {
			attrs[strings.ToLower(s)] = ""
			break
		}
		name := strings.ToLower(s[:n])
		if s[n] == ' ' {
			attrs[name] = ""
			s = s[n:]
			continue
		}
		s = s[n+1:]
		var val string
		if s != "" && (s[0] == '"' || s[0] == '\'') {
			end := strings.IndexByte(s[1:], s[0])
			if end < 0 {
				return nil, fmt.Errorf("Unclosed start tag at byte offset %d", at)
			}
			val, s = s[1:1+end], s[2+end:]
		} else {
			val, s, _ = strings.Cut(s, " ")
		}
		decoded, err := decodeEntities(val, at)
		if err != nil {
			return nil, err
		}
		attrs[name] = decoded
	}
	return attrs, nil
}

func decodeEntities(s string, at int) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '&' {
			b.WriteByte(s[i])
			i++
			continue
		}
		r, n, err := decodeEntity(s[i:], at)
		if err != nil {
			return "", err
		}
		b.WriteString(r)
		i += n
	}
	return b.String(), nil
}

// decodeEntity decodes the entity at the start of s (which begins with '&')
// and returns it and its length in bytes.
func decodeEntity(s string, at int) (string, int, error) {
	end := strings.IndexByte(s, ';')
	if end < 0 || end > 12 {
		return "", 0, fmt.Errorf("Unescaped \"&\" at byte offset %d", at)
	}
	name := s[1:end]
	switch name {
	case "lt":
		return "<", end + 1, nil
	case "gt":
		return ">", end + 1, nil
	case "amp":
		return "&", end + 1, nil
	case "quot":
		return `"`, end + 1, nil
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if hex, ok := strings.CutPrefix(strings.ToLower(num), "x"); ok {
			num, base = hex, 16
		}
		if n, err := strconv.ParseUint(num, base, 32); err == nil && n > 0 && n <= 0x10FFFF {
			return string(rune(n)), end + 1, nil
		}
	}
	return "", 0, fmt.Errorf("Unsupported HTML entity \"&%s;\" at byte offset %d", name, at)
}

// textLength counts UTF-16 code units, as Telegram does for length limits.
func textLength(s string) int {
	return len(utf16.Encode([]rune(s)))
}
