package report

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	plottext "gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/daftar-bot/daftar/store"
)

// The organisers' statistics: a text per batch and a chart. Only this file
// imports gonum/plot.

// ChartWidth and ChartHeight are the size of the statistics chart in
// pixels: readable on a phone, where Telegram shows it about 360 points
// wide.
const (
	ChartWidth  = 800
	ChartHeight = 600
	chartDPI    = 144 // twice the points: the default 10–12 pt text is 20–24 px
)

// batchStats are one batch's numbers as of a moment.
type batchStats struct {
	Batch                       store.Batch
	Taken, Waiting, Cancelled   int
	SignUps                     int        // everyone who signed up until now, in any status
	PerDay                      []dayCount // sign-ups per day, by RegisteredAt in the course time zone, oldest first
	Present                     []int      // people present per session day; index day-1
	Held                        []bool     // whether a roll call was held that day
	Reachable, Blocked          int        // registered and waiting people who can get messages, and who blocked the bot
	NoTelegram                  int        // walk-ins holding a place (store.Status.HoldsPlace) who have not opened their claim link
	Eligible, CertificateMinDay int
	Survey                      SurveySummary // the end-of-course survey's results
	// Selection counts the registrations of each admission status
	// (store/selection.go), by status.
	Selection map[store.Status]int
}

type dayCount struct {
	Day time.Time // midnight, course time zone
	N   int
}

// Statistics returns the organisers' statistics of course c as of now:
// the text (HTML, in lang) and a PNG chart of ChartWidth×ChartHeight
// pixels with the sign-ups over time and the attendance per session day.
// It reads the database once and sends nothing.
func Statistics(db *store.DB, c store.Course, lang string, now time.Time) (text string, chart []byte, err error) {
	return statistics(db, c, lang, now, false)
}

// CourseStatistics is Statistics of course c's batches only (LoadCourse):
// a course's statistics when the bot serves several.
func CourseStatistics(db *store.DB, c store.Course, lang string, now time.Time) (text string, chart []byte, err error) {
	return statistics(db, c, lang, now, true)
}

func statistics(db *store.DB, c store.Course, lang string, now time.Time, onlyCourse bool) (text string, chart []byte, err error) {
	// Like an export, the statistics read every participant of the
	// course and keep little: the same GC target keeps the bot's peak down.
	defer setGCPercent(exportGCPercent)()
	var d *Dataset
	surveys := map[string]SurveySummary{}
	err = db.View(func(tx *store.Tx) error {
		d, err = loadCounts(tx, c, now, onlyCourse)
		if err != nil {
			return err
		}
		for _, bt := range c.Batches {
			if surveys[bt.ID], err = ReadSurvey(tx, c, bt.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("statistics: %w", err)
	}
	stats := computeStats(c, d.held, d.Marks, d.unreachable, d.Now)
	for i := range stats {
		stats[i].Survey = surveys[stats[i].Batch.ID]
	}
	rm := TextsOf(lang)
	chart, err = drawStatsChart(rm, location(c), stats, d.Now)
	if err != nil {
		return "", nil, fmt.Errorf("statistics chart: %w", err)
	}
	text = statsText(rm, c, stats, d.Now)
	releaseMemory()
	return text, chart, nil
}

// computeStats returns the numbers of every batch of c as of now, from the
// participants, each batch's marks (as store.Tx.Attendance returns them,
// by batch id) and the people who blocked the bot. Reachable and blocked
// count the people the bot would still message: registered and waiting.
// Sign-ups count everyone who registered until now, whatever their status
// since.
func computeStats(c store.Course, ps []store.Participant, att map[string]map[int64]map[int]bool, unreachable map[int64]bool, now time.Time) []batchStats {
	loc := location(c)
	sheet := NewAttendanceSheet(c, att)
	out := make([]batchStats, 0, len(c.Batches))
	for _, bt := range c.Batches {
		s := batchStats{
			Batch: bt, CertificateMinDay: c.CertificateMinDays,
			Present: make([]int, bt.Days), Held: make([]bool, bt.Days),
		}
		for _, days := range att[bt.ID] {
			for d, present := range days {
				if d < 1 || d > bt.Days {
					continue
				}
				s.Held[d-1] = true
				if present {
					s.Present[d-1]++
				}
			}
		}
		perDay := map[time.Time]int{}
		// A pass over everybody per batch: grouping them first would copy
		// thousands of participants, for a handful of batches.
		for _, p := range ps {
			if p.Batch != bt.ID {
				continue
			}
			switch p.Status {
			case store.StatusRegistered:
				s.Taken++
			case store.StatusWaiting:
				s.Waiting++
			case store.StatusCancelled:
				s.Cancelled++
			case store.StatusApplied, store.StatusSelected, store.StatusReserve, store.StatusNotSelected:
				if s.Selection == nil {
					s.Selection = map[store.Status]int{}
				}
				s.Selection[p.Status]++
			}
			// A walk-in not yet claimed has no Telegram: neither reachable
			// nor blocked, counted apart while they hold a place.
			if store.IsWalkIn(p.UserID) && p.Status.HoldsPlace() {
				s.NoTelegram++
			}
			if (p.Status == store.StatusRegistered || p.Status == store.StatusWaiting) && !store.IsWalkIn(p.UserID) {
				if unreachable[p.UserID] {
					s.Blocked++
				} else {
					s.Reachable++
				}
			}
			if sheet.Row(p).Eligible {
				s.Eligible++
			}
			if !p.RegisteredAt.IsZero() && !p.RegisteredAt.After(now) {
				s.SignUps++
				perDay[midnight(p.RegisteredAt.In(loc))]++
			}
		}
		for day, n := range perDay {
			s.PerDay = append(s.PerDay, dayCount{Day: day, N: n})
		}
		slices.SortFunc(s.PerDay, func(a, b dayCount) int { return a.Day.Compare(b.Day) })
		out = append(out, s)
	}
	return out
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// statsTextLimit is how long the text may grow, in UTF-16 units: Telegram
// takes 4096, less room for the "…" of a cut.
const statsTextLimit = 4090

// statsDaysShown is how many days of sign-ups the text lists; the chart
// shows them all.
const statsDaysShown = 7

// statsText renders the statistics. It stays far below Telegram's 4096
// characters for any number of participants: per batch it lists at most
// statsDaysShown days of sign-ups and one number per session day.
func statsText(rm *Texts, c store.Course, stats []batchStats, now time.Time) string {
	var out strings.Builder
	fmt.Fprintf(&out, rm.StatsTitle, html.EscapeString(c.Title), rm.Moment(now))
	if len(stats) == 0 {
		out.WriteString("\n\n" + rm.StatsNoBatches)
	}
	used := utf16Len(out.String())
	for _, s := range stats {
		block := statsBlock(rm, s)
		// With many batches the last ones give way to Telegram's limit
		// (the export has them all).
		n := utf16Len(block)
		if used+n > statsTextLimit {
			out.WriteString("\n\n…")
			break
		}
		used += n
		out.WriteString(block)
	}
	return out.String()
}

// statsBlock is one batch's part of the statistics text.
func statsBlock(rm *Texts, s batchStats) string {
	var out strings.Builder
	out.WriteString("\n\n")
	fmt.Fprintf(&out, rm.StatsBatch, html.EscapeString(s.Batch.Name), rm.DateRange(s.Batch.Start, s.Batch.End()))
	out.WriteString("\n")
	fmt.Fprintf(&out, rm.StatsSeats, s.Taken, s.Batch.Capacity, s.Waiting, s.Cancelled)
	out.WriteString("\n")
	if n := s.Selection; s.Batch.Admission.Selection || len(n) > 0 {
		fmt.Fprintf(&out, rm.StatsSelection, n[store.StatusApplied], n[store.StatusSelected], n[store.StatusReserve], n[store.StatusNotSelected])
		out.WriteString("\n")
	}
	if s.SignUps == 0 {
		out.WriteString(rm.StatsRegsNone)
	} else {
		fmt.Fprintf(&out, rm.StatsRegs, s.SignUps)
		shown := s.PerDay[max(0, len(s.PerDay)-statsDaysShown):]
		var parts []string
		if earlier := s.SignUps - sumDays(shown); earlier > 0 {
			parts = append(parts, fmt.Sprintf(rm.StatsRegsEarlier, earlier))
		}
		for _, d := range shown {
			parts = append(parts, fmt.Sprintf(rm.StatsRegsDay, fmt.Sprintf("%d %s", d.Day.Day(), rm.Months[d.Day.Month()-1]), d.N))
		}
		out.WriteString(" — " + strings.Join(parts, ", "))
	}
	out.WriteString("\n" + rm.StatsAttendance + ": ")
	var days []string
	for d, held := range s.Held {
		if held {
			days = append(days, fmt.Sprintf(rm.StatsAttendanceDay, d+1, s.Present[d]))
		}
	}
	if len(days) == 0 {
		out.WriteString(rm.StatsAttendanceNone)
	} else {
		out.WriteString(strings.Join(days, " · "))
	}
	out.WriteString("\n")
	fmt.Fprintf(&out, rm.StatsReach, s.Reachable, s.Blocked)
	out.WriteString("\n")
	if s.NoTelegram > 0 {
		fmt.Fprintf(&out, rm.StatsNoTelegram, s.NoTelegram)
		out.WriteString("\n")
	}
	fmt.Fprintf(&out, rm.StatsEligible, s.Eligible, s.CertificateMinDay)
	out.WriteString(surveyLines(rm, s.Survey))
	return out.String()
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func sumDays(ds []dayCount) int {
	n := 0
	for _, d := range ds {
		n += d.N
	}
	return n
}

// chartColors tell batches apart, also for the colour-blind (Okabe–Ito).
var chartColors = []color.RGBA{
	{0, 114, 178, 255}, {230, 159, 0, 255}, {0, 158, 115, 255},
	{204, 121, 167, 255}, {86, 180, 233, 255}, {213, 94, 0, 255}, {0, 0, 0, 255},
}

// drawStatsChart draws two panels: cumulative sign-ups per batch over
// time, up to now, and people present per session day per batch.
func drawStatsChart(rm *Texts, loc *time.Location, stats []batchStats, now time.Time) ([]byte, error) {
	regs := plot.New()
	regs.Title.Text = rm.ChartRegsTitle
	regs.Y.Label.Text = rm.ChartPeople
	regs.Y.Min, regs.Y.Max = 0, 1
	regs.Legend.Top, regs.Legend.Left = true, true
	regs.Add(plotter.NewGrid())
	today := midnight(now).Unix()
	first := today
	for _, s := range stats {
		if len(s.PerDay) > 0 {
			first = min(first, s.PerDay[0].Day.Unix())
		}
	}
	regs.X.Min, regs.X.Max = float64(first), float64(today)
	if first == today {
		regs.X.Min, regs.X.Max = float64(today-86400), float64(today+86400)
	}
	regs.X.Tick.Marker = dateTicks{loc: loc, months: rm.Months}

	att := plot.New()
	att.Title.Text = rm.ChartAttTitle
	att.Y.Label.Text = rm.ChartPeople
	att.X.Label.Text = rm.ChartDay
	att.Y.Min, att.Y.Max = 0, 1
	att.Add(plotter.NewGrid())
	longest := 0
	for _, s := range stats {
		longest = max(longest, s.Batch.Days)
	}
	ticks := make([]string, longest)
	for d := range ticks {
		ticks[d] = fmt.Sprintf(rm.ChartDayTick, d+1)
	}
	if longest > 0 {
		att.NominalX(ticks...)
		att.X.Min, att.X.Max = -0.5, float64(longest)-0.5
	} else {
		att.HideX()
	}
	// The bars of one day, one per batch in the colours of the legend
	// above, share about 70% of a day's width (the plot area is about
	// 85% of the canvas).
	group := vg.Length(ChartWidth*72/chartDPI) * 0.85 * 0.7 / vg.Length(max(longest, 1))
	width := group / vg.Length(max(len(stats), 1))

	for i, s := range stats {
		col := chartColors[i%len(chartColors)]
		if len(s.PerDay) > 0 {
			pts := make(plotter.XYs, 0, len(s.PerDay)+1)
			total := 0
			for _, d := range s.PerDay {
				total += d.N
				pts = append(pts, plotter.XY{X: float64(d.Day.Unix()), Y: float64(total)})
			}
			if last := s.PerDay[len(s.PerDay)-1].Day.Unix(); last < today {
				pts = append(pts, plotter.XY{X: float64(today), Y: float64(total)})
			}
			line, points, err := plotter.NewLinePoints(pts)
			if err != nil {
				return nil, err
			}
			line.Color, line.Width = col, vg.Points(1.5)
			points.Color, points.Radius = col, vg.Points(1.5)
			regs.Add(line, points)
			regs.Legend.Add(legendName(s.Batch.Name), line)
			// Room above the lines for the legend, a line per batch.
			regs.Y.Max = max(regs.Y.Max, float64(total)*(1.1+0.12*float64(len(stats))))
		}
		if longest > 0 {
			vals := make(plotter.Values, longest)
			for d, n := range s.Present {
				vals[d] = float64(n)
				att.Y.Max = max(att.Y.Max, float64(n)*1.1)
			}
			bars, err := plotter.NewBarChart(vals, width)
			if err != nil {
				return nil, err
			}
			bars.Color = col
			bars.LineStyle.Width = 0
			bars.Offset = (vg.Length(i) - vg.Length(len(stats)-1)/2) * width
			att.Add(bars)
		}
	}
	regs.Y.Tick.Marker, att.Y.Tick.Marker = wholeTicks{}, wholeTicks{}
	sans(regs)
	sans(att)

	img := vgimg.NewWith(
		vgimg.UseWH(vg.Length(ChartWidth*72/chartDPI), vg.Length(ChartHeight*72/chartDPI)),
		vgimg.UseDPI(chartDPI),
		vgimg.UseBackgroundColor(color.White),
	)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: 4, PadBottom: 4, PadLeft: 4, PadRight: 8, PadY: 8}
	panels := [][]*plot.Plot{{regs}, {att}}
	canvases := plot.Align(panels, tiles, draw.New(img))
	for i := range panels {
		panels[i][0].Draw(canvases[i][0])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sans sets every text of p in the sans-serif face, easier to read small
// than the default serif.
func sans(p *plot.Plot) {
	for _, st := range []*plottext.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		st.Font.Variant = "Sans"
	}
}

// wholeTicks are the default ticks with labels only on whole numbers,
// written without decimals: people are counted whole.
type wholeTicks struct{}

func (wholeTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label == "" {
			continue
		}
		if t.Value != math.Trunc(t.Value) {
			ticks[i].Label = ""
			continue
		}
		ticks[i].Label = strconv.FormatFloat(t.Value, 'f', 0, 64)
	}
	return ticks
}

// legendName shortens a batch name to fit the legend.
func legendName(name string) string {
	const most = 24
	if r := []rune(name); len(r) > most {
		return string(r[:most-1]) + "…"
	}
	return name
}

// dateTicks marks days on an axis of Unix seconds, labelled "20 Okt" in
// the course time zone, with at most about six labels.
type dateTicks struct {
	loc    *time.Location
	months [12]string
}

func (t dateTicks) Ticks(lo, hi float64) []plot.Tick {
	day := midnight(time.Unix(int64(lo), 0).In(t.loc))
	if float64(day.Unix()) < lo {
		day = day.AddDate(0, 0, 1)
	}
	span := int((hi-lo)/86400) + 1
	step := max(1, (span+5)/6)
	var out []plot.Tick
	for i := 0; float64(day.Unix()) <= hi; i, day = i+1, day.AddDate(0, 0, 1) {
		switch {
		case i%step == 0:
			out = append(out, plot.Tick{Value: float64(day.Unix()), Label: fmt.Sprintf("%d %s", day.Day(), t.months[day.Month()-1])})
		case step <= 7:
			out = append(out, plot.Tick{Value: float64(day.Unix())}) // a minor tick per day
		}
	}
	return out
}
