package bot

import (
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// batchWordOf is the batch word of courses when they agree on one, else
// "" (the language's own): an organiser of several courses reads one.
func batchWordOf(courses []store.Course) string {
	if len(courses) == 0 {
		return ""
	}
	w := courses[0].BatchWord
	for _, c := range courses[1:] {
		if c.BatchWord != w {
			return ""
		}
	}
	return w
}

// paper is the paperwork catalogue of the organiser's language, with the
// batch word of the courses they act on.
func (r *orgReq) paper() *locale.PaperMessages {
	return locale.Worded(r.lang, batchWordOf(r.courses)).Paper
}

// desk is the desk catalogue of the organiser's language, with the batch
// word of the courses they act on.
func (r *orgReq) desk() *locale.DeskMessages {
	return locale.Worded(r.lang, batchWordOf(r.courses)).Desk
}
