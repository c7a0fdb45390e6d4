package locale

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// batchWord is a course's word for a batch (course.batch_word) in the
// forms the texts need: Title at the start of a sentence or as a label,
// lower within one, plural for "all batches".
type batchWord struct{ Title, lower, plural string }

// wordID is Indonesian's word for a batch: word, or "Angkatan" when
// empty. Indonesian says the plural with the word itself.
func wordID(word string) batchWord {
	if word == "" {
		word = "Angkatan"
	}
	return batchWord{Title: upperFirst(word), lower: lowerFirst(word), plural: lowerFirst(word)}
}

// wordEN is English's word for a batch: word, or "Batch" when empty.
func wordEN(word string) batchWord {
	if word == "" {
		word = "Batch"
	}
	w := batchWord{Title: upperFirst(word), lower: lowerFirst(word)}
	w.plural = w.lower + "s"
	for _, end := range []string{"s", "x", "z", "ch", "sh"} {
		if strings.HasSuffix(w.lower, end) {
			w.plural = w.lower + "es"
			break
		}
	}
	return w
}

// upperFirst and lowerFirst change the first letter of s only, so that
// a word such as "Kelas PKL" keeps its capitals inside a sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// worded holds the catalogues built for a course's batch word, by
// language code and word; the words come from the config, so it stays
// small.
var worded sync.Map

// Worded is the catalogue of lang with word as the word for a
// batch; "" is the language's own catalogue.
func Worded(lang, word string) *Catalogue {
	c := For(lang)
	if word == "" || c.withWord == nil {
		return c
	}
	key := c.Code + "\x00" + word
	if v, ok := worded.Load(key); ok {
		return v.(*Catalogue)
	}
	w := c.withWord(word)
	v, _ := worded.LoadOrStore(key, &w)
	return v.(*Catalogue)
}
