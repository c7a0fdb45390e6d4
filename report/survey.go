package report

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/daftar-bot/daftar/store"
)

// The end-of-course survey's results: counts per option and rating,
// rating averages and the texts, for the statistics, the XLSX export's
// survey sheet and the activity report.

// SurveySummary is the survey of one batch summed up.
type SurveySummary struct {
	Pending   int // sent, not finished
	Answered  int // finished answer sets
	Questions []QuestionSummary
}

// QuestionSummary is one question's answers.
type QuestionSummary struct {
	Field   store.SurveyField
	Answers int // given (skips and answers no longer matching an option not counted)
	// Counts are per rating (index 0 is 1) or per option; nil for a text.
	Counts  []int
	Average float64  // of a rating's answers; 0 without any
	Texts   []string // a text question's answers, in the order given
}

// Summarize sums up the finished answer sets rs of a survey of fields.
func Summarize(fields []store.SurveyField, rs []store.SurveyResponse) []QuestionSummary {
	out := make([]QuestionSummary, len(fields))
	for i, f := range fields {
		q := QuestionSummary{Field: f}
		switch f.Kind {
		case store.SurveyRating:
			q.Counts = make([]int, store.RatingMax)
		case store.SurveyChoice:
			q.Counts = make([]int, len(f.Options))
		}
		sum := 0
		for _, r := range rs {
			v, ok := r.Answers[f.Key]
			if !ok || v == "" {
				continue
			}
			switch f.Kind {
			case store.SurveyRating:
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > store.RatingMax {
					continue
				}
				q.Counts[n-1]++
				sum += n
			case store.SurveyChoice:
				j := slices.Index(f.Options, v)
				if j < 0 {
					continue
				}
				q.Counts[j]++
			default:
				q.Texts = append(q.Texts, v)
			}
			q.Answers++
		}
		if f.Kind == store.SurveyRating && q.Answers > 0 {
			q.Average = float64(sum) / float64(q.Answers)
		}
		out[i] = q
	}
	return out
}

// ReadSurvey reads the survey of batch of c from tx and sums it up; the
// zero summary when the course has no survey.
func ReadSurvey(tx *store.Tx, c store.Course, batch string) (SurveySummary, error) {
	if len(c.Survey.Fields) == 0 {
		return SurveySummary{}, nil
	}
	rs, err := tx.SurveyResponses(batch)
	if err != nil {
		return SurveySummary{}, fmt.Errorf("report: read: %w", err)
	}
	pending, answered := tx.SurveyInvited(batch)
	// Anonymous answer sets outlive their marks (erasure, retention).
	return SurveySummary{Pending: pending, Answered: max(answered, len(rs)), Questions: Summarize(c.Survey.Fields, rs)}, nil
}

// average formats a rating average with one decimal, in lang's way.
func average(rm *Texts, q QuestionSummary) string {
	if q.Answers == 0 {
		return "–"
	}
	s := strconv.FormatFloat(q.Average, 'f', 1, 64)
	if rm.Lang == "id" {
		s = replaceDot(s)
	}
	return s
}

// optionName is how the results name count i of q: the rating or the
// option, in the course language.
func optionName(q QuestionSummary, lang string, i int) string {
	if q.Field.Kind == store.SurveyRating {
		return strconv.Itoa(i + 1)
	}
	return q.Field.Option(lang, i)
}

// surveyLines are the statistics' lines of a batch's survey (HTML),
// nothing when it went to nobody yet.
func surveyLines(rm *Texts, s SurveySummary) string {
	if s.Pending+s.Answered == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n")
	fmt.Fprintf(&b, rm.StatsSurvey, s.Answered, s.Pending+s.Answered)
	for _, q := range s.Questions {
		b.WriteString("\n• " + html.EscapeString(q.Field.Question(rm.Lang)) + ": ")
		switch q.Field.Kind {
		case store.SurveyRating:
			fmt.Fprintf(&b, rm.StatsSurveyAverage, average(rm, q), q.Answers)
		case store.SurveyChoice:
			parts := make([]string, len(q.Counts))
			for i, n := range q.Counts {
				parts[i] = html.EscapeString(optionName(q, rm.Lang, i)) + " " + strconv.Itoa(n)
			}
			b.WriteString(strings.Join(parts, " · "))
		default:
			fmt.Fprintf(&b, rm.StatsSurveyTexts, q.Answers)
		}
	}
	return b.String()
}

// writeSurveySheet writes the survey sheet of the export: per batch and
// question, the count of each rating or option and the average, then the
// texts.
func (x *xlsxExport) writeSurveySheet(name string, surveys map[string]SurveySummary) error {
	st, rm := x.st, x.rm
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, wd := range []float64{24, 40, 30, 10} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	r := 0
	put := func(cells ...any) error {
		r++
		ref, _ := excelize.CoordinatesToCellName(1, r)
		return sw.SetRow(ref, cells)
	}
	text := func(s string) excelize.Cell { return excelize.Cell{StyleID: st.text, Value: s} }
	head := []any{}
	for _, h := range []string{rm.SumBatch, rm.SurveyQuestion, rm.SurveyAnswer, rm.SurveyCount} {
		head = append(head, excelize.Cell{StyleID: st.header, Value: h})
	}
	if err := put(head...); err != nil {
		return err
	}
	for _, xb := range x.batches {
		s, ok := surveys[xb.ID]
		if !ok || s.Pending+s.Answered == 0 {
			continue
		}
		if err := put(text(xb.Name), text(rm.SurveyAnswered), nil, s.Answered); err != nil {
			return err
		}
		for _, q := range s.Questions {
			label := q.Field.Question(x.c.Language)
			for i, n := range q.Counts {
				if err := put(text(xb.Name), text(label), text(optionName(q, x.c.Language, i)), n); err != nil {
					return err
				}
			}
			if q.Field.Kind == store.SurveyRating && q.Answers > 0 {
				avg, _ := strconv.ParseFloat(strconv.FormatFloat(q.Average, 'f', 2, 64), 64)
				if err := put(text(xb.Name), text(label), text(rm.SurveyAverage), avg); err != nil {
					return err
				}
			}
			for _, t := range q.Texts {
				if err := put(text(xb.Name), text(label), text(t), nil); err != nil {
					return err
				}
			}
		}
	}
	return sw.Flush()
}

// surveySheetName is the survey sheet's name, distinct from the others.
func surveySheetName(rm *Texts, others []string) string {
	used := map[string]bool{}
	for _, o := range others {
		used[strings.ToLower(o)] = true
	}
	name := rm.SheetSurvey
	for n := 2; used[strings.ToLower(name)]; n++ {
		name = fmt.Sprintf("%s (%d)", rm.SheetSurvey, n)
	}
	return name
}
