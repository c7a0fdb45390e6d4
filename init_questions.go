package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// initAnswers are the answers of `daftar init`, the values renderConfig
// writes. Before a question is answered its field holds the default.
type initAnswers struct {
	Title, Organiser, Venue, Timezone, Language, Bring string
	Contact, SharedWith                                string
	BatchName, BatchID                                 string
	SkipWeekdays                                       []string
	Start                                              *toml.LocalDate // nil until answered
	Days, Capacity, CertificateMinDays                 int
	DailyStart, DailyEnd                               string
	Admins                                             []int64
	StorePath                                          string
	Preset                                             int    // index in formPresets
	Token                                              string // "" leaves it to TELEGRAM_BOT_TOKEN
}

func defaultAnswers() *initAnswers {
	return &initAnswers{
		Timezone: "Asia/Jakarta", Language: "id", Bring: "Alat tulis, KTP",
		BatchName: "Angkatan 1", Days: 5, SkipWeekdays: []string{}, StorePath: "daftar.db", DailyStart: defaultDailyStart, DailyEnd: defaultDailyEnd,
	}
}

// initTokenFile is where init puts a token it is given, beside the config
// (telegram.token_file); mode 0600.
const initTokenFile = "daftar.token"

// initText is a text of init in its two languages.
type initText struct{ id, en string }

func (x initText) in(lang string) string {
	if lang == "en" {
		return x.en
	}
	return x.id
}

// question is one question of `daftar init`.
type question struct {
	// keys are the config keys the answer sets, as the validator names
	// them: its problems with these keys refuse the answer.
	keys  []string
	help  initText // said once before the question: what it is, an example
	ask   initText // the prompt
	wrong initText // said when an answer is refused: what is expected
	def   func(a *initAnswers) string
	// set parses the answer into a; errWrong says q.wrong, any other
	// error is said as it is.
	set  func(a *initAnswers, answer string, s *initSession) error
	when func(a *initAnswers) bool // asked only when true; nil: always
}

// errWrong is returned by a question's set when the answer cannot be read.
var errWrong = errors.New("wrong answer")

// initQuestions is every question of `daftar init`, in order. A new
// config key is one more entry here and one more line in renderConfig.
func initQuestions() []question {
	return []question{
		{
			keys: []string{"course.title"},
			help: initText{
				"Nama pelatihan, seperti yang dilihat peserta. Contoh: Pelatihan Menjahit",
				"The name of the course, as people will see it. Example: Pelatihan Menjahit"},
			ask:   initText{"Nama pelatihan", "Course title"},
			wrong: initText{"Nama pelatihan belum diisi. Tulis namanya, misalnya Pelatihan Las.", "The title is still empty. Type it, e.g. Welding Course."},
			set:   setText(func(a *initAnswers) *string { return &a.Title }),
		},
		{
			keys: []string{"course.organiser"},
			help: initText{
				"Penyelenggara (dinas, lembaga, komunitas). Contoh: Diskopum Kabupaten Jember & UPT BLK Jember",
				"Who runs it (office, institution, community). Example: Diskopum Kabupaten Jember & UPT BLK Jember"},
			ask:   initText{"Penyelenggara", "Organiser"},
			wrong: initText{"Penyelenggara belum diisi.", "The organiser is still empty."},
			set:   setText(func(a *initAnswers) *string { return &a.Organiser }),
		},
		{
			keys: []string{"course.venue"},
			help: initText{
				"Tempat pelatihan: ruang, gedung, dan kota. Contoh: Ruang Garment Apparel, UPT BLK Jember, Jember",
				"Where it takes place: room, building and city. Example: Ruang Garment Apparel, UPT BLK Jember, Jember"},
			ask:   initText{"Tempat (ruang, gedung, kota)", "Venue (room, building, city)"},
			wrong: initText{"Tempat belum diisi.", "The venue is still empty."},
			set:   setText(func(a *initAnswers) *string { return &a.Venue }),
		},
		{
			keys: []string{"course.contact"},
			help: initText{
				"Kontak panitia untuk peserta (HP/WhatsApp/Telegram): tampil di /bantuan, /status dan pengingat. Contoh: WhatsApp 0812-3456-7890 (Bu Rina)",
				"How people reach the organisers (phone/WhatsApp/Telegram): shown in /bantuan, /status and reminders. Example: WhatsApp 0812-3456-7890 (Bu Rina)"},
			ask:   initText{"Kontak panitia (- jika tidak ada)", "Organisers' contact (- for none)"},
			wrong: initText{"Tulis kontak panitia, atau - jika tidak ada.", "Type the organisers' contact, or - for none."},
			set:   setOptional(func(a *initAnswers) *string { return &a.Contact }),
		},
		{
			keys: []string{"course.timezone"},
			help: initText{
				"Zona waktu tempat pelatihan: jadwal dan pengingat memakai zona ini.\n  WIB = Jawa, Sumatra, Kalimantan Barat/Tengah · WITA = Bali, NTB, NTT, Sulawesi, Kalimantan Timur/Selatan/Utara · WIT = Maluku, Papua",
				"The time zone of the venue: dates and reminders use it.\n  WIB = Java, Sumatra, West/Central Kalimantan · WITA = Bali, Nusa Tenggara, Sulawesi, East/South/North Kalimantan · WIT = Maluku, Papua"},
			ask:   initText{"Zona waktu (WIB, WITA, WIT)", "Time zone (WIB, WITA, WIT)"},
			wrong: initText{"Tulis WIB, WITA atau WIT (atau nama zona seperti Asia/Jakarta).", "Type WIB, WITA or WIT (or a zone name like Asia/Jakarta)."},
			def: func(a *initAnswers) string {
				for short, name := range indonesianZones {
					if name == a.Timezone {
						return short
					}
				}
				return a.Timezone
			},
			set: func(a *initAnswers, s string, _ *initSession) error {
				if name, ok := indonesianZones[strings.ToUpper(s)]; ok {
					s = name
				}
				a.Timezone = s
				return nil
			},
		},
		{
			keys: []string{"course.batches[0].name"},
			help: initText{
				"Pelatihan berjalan per angkatan (gelombang). Nama angkatan pertama yang dibuka:",
				"A course runs in batches. The name of the first batch to open:"},
			ask:   initText{"Nama angkatan", "Batch name"},
			wrong: initText{"Nama angkatan belum diisi, misalnya Angkatan 1.", "The batch name is still empty, e.g. Angkatan 1."},
			def:   func(a *initAnswers) string { return a.BatchName },
			set:   setText(func(a *initAnswers) *string { return &a.BatchName }),
		},
		{
			keys: []string{"course.batches[0].id"},
			help: initText{
				"Kode angkatan untuk tautan pendaftaran (t.me/<bot>?start=<kode>): huruf kecil, angka dan tanda -, tanpa spasi.",
				"The batch code for the sign-up link (t.me/<bot>?start=<code>): lowercase letters, digits and -, no spaces."},
			ask:   initText{"Kode angkatan", "Batch code"},
			wrong: initText{"Pakai huruf kecil, angka dan tanda - saja (paling banyak 32), misalnya angkatan-1.", "Use lowercase letters, digits and - only (at most 32), e.g. angkatan-1."},
			def:   func(a *initAnswers) string { return slug(a.BatchName) },
			set:   setText(func(a *initAnswers) *string { return &a.BatchID }),
		},
		{
			keys: []string{"course.batches[0].skip_weekdays"},
			help: initText{
				"Hari libur setiap minggu, tanpa sesi: misalnya minggu, atau sabtu, minggu. Tulis - jika pelatihan berjalan setiap hari.\n  (Tanggal merah bisa ditambahkan nanti di config.toml: holidays = [...].)",
				"Days of the week without sessions: e.g. sunday, or saturday, sunday. Type - when the course runs every day.\n  (Public holidays can be added later in config.toml: holidays = [...].)"},
			ask:   initText{"Hari libur mingguan", "Weekly days off"},
			wrong: initText{"Tulis nama hari (senin … minggu) dipisah koma, atau - jika setiap hari ada sesi.", "Type days of the week (monday … sunday) separated by commas, or - for none."},
			def: func(a *initAnswers) string {
				if len(a.SkipWeekdays) == 0 {
					return "-"
				}
				return strings.Join(a.SkipWeekdays, ", ")
			},
			set: func(a *initAnswers, s string, _ *initSession) error {
				a.SkipWeekdays = []string{}
				if s == "-" {
					return nil
				}
				for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
					a.SkipWeekdays = append(a.SkipWeekdays, f)
				}
				return nil
			},
		},
		{
			keys: []string{"course.batches[0].start"},
			help: initText{
				"Tanggal hari pertama angkatan ini (bukan hari libur), misalnya 01-02-2027 (tanggal-bulan-tahun).",
				"The date of the batch's first day (not a day off), e.g. 01-02-2027 (day-month-year) or 2027-02-01."},
			ask:   initText{"Tanggal mulai", "Start date"},
			wrong: initText{"Tanggal itu tidak bisa dipakai. Tulis tanggal-bulan-tahun, misalnya 01-02-2027, pada hari yang bukan hari libur.", "That date cannot be used. Type day-month-year, e.g. 01-02-2027, on a day that is not a day off."},
			set: func(a *initAnswers, s string, _ *initSession) error {
				d, ok := parseDay(s)
				if !ok {
					return errWrong
				}
				a.Start = &d
				return nil
			},
		},
		{
			keys: []string{"course.batches[0].days"},
			help: initText{
				"Berapa hari sesi pelatihan? Hari libur mingguan tidak dihitung.",
				"How many session days does the course have? Weekly days off do not count."},
			ask:   initText{"Jumlah hari", "Number of days"},
			wrong: initText{"Tulis jumlah hari sebagai angka, 1 atau lebih, misalnya 7.", "Type the number of days, 1 or more, e.g. 7."},
			def:   func(a *initAnswers) string { return strconv.Itoa(a.Days) },
			set:   setInt(func(a *initAnswers) *int { return &a.Days }),
		},
		{
			keys: []string{"course.batches[0].daily_start"},
			help: initText{"Jam mulai setiap hari (jam:menit, 24 jam).", "The time each day starts (hours:minutes, 24 h)."},
			ask:  initText{"Jam mulai", "Daily start"},
			wrong: initText{"Tulis jam seperti 08:00 (dua angka, titik dua, dua angka).",
				"Type a time like 08:00 (two digits, a colon, two digits)."},
			def: func(a *initAnswers) string { return a.DailyStart },
			set: setClock(func(a *initAnswers) *string { return &a.DailyStart }),
		},
		{
			keys: []string{"course.batches[0].daily_end"},
			help: initText{"Jam selesai setiap hari.", "The time each day ends."},
			ask:  initText{"Jam selesai", "Daily end"},
			wrong: initText{"Tulis jam seperti 15:00, lebih lambat dari jam mulai.",
				"Type a time like 15:00, later than the start."},
			def: func(a *initAnswers) string { return a.DailyEnd },
			set: setClock(func(a *initAnswers) *string { return &a.DailyEnd }),
		},
		{
			keys: []string{"course.batches[0].capacity"},
			help: initText{
				"Berapa kursi (peserta) untuk angkatan ini? Jika penuh, pendaftar berikutnya masuk daftar tunggu.",
				"How many seats does the batch have? When it is full, people can join a waiting list."},
			ask:   initText{"Jumlah kursi", "Seats"},
			wrong: initText{"Tulis jumlah kursi sebagai angka, 1 atau lebih, misalnya 16.", "Type the number of seats, 1 or more, e.g. 16."},
			def: func(a *initAnswers) string {
				if a.Capacity == 0 {
					return ""
				}
				return strconv.Itoa(a.Capacity)
			},
			set: setInt(func(a *initAnswers) *int { return &a.Capacity }),
		},
		{
			keys: []string{"course.certificate_min_days"},
			help: initText{"Berapa hari hadir yang dibutuhkan untuk sertifikat?", "How many days present earn a certificate?"},
			ask:  initText{"Hari hadir untuk sertifikat", "Days present for a certificate"},
			wrong: initText{"Tulis angka dari 0 sampai jumlah hari pelatihan.",
				"Type a number from 0 up to the number of course days."},
			def: func(a *initAnswers) string { return strconv.Itoa(a.Days) },
			set: setInt(func(a *initAnswers) *int { return &a.CertificateMinDays }),
		},
		{
			keys: []string{"course.bring"},
			help: initText{
				"Apa yang perlu dibawa peserta? (disebut di pengingat; tulis - jika tidak ada)",
				"What should people bring? (said in the reminders; type - for nothing)"},
			ask:   initText{"Yang dibawa", "What to bring"},
			wrong: initText{"Tulis apa yang dibawa, atau - jika tidak ada.", "Type what to bring, or - for nothing."},
			def:   func(a *initAnswers) string { return a.Bring },
			set:   setOptional(func(a *initAnswers) *string { return &a.Bring }),
		},
		{
			keys: []string{"course.language"},
			help: initText{
				"Bahasa bot untuk peserta: id (Indonesia) atau en (Inggris). Peserta bisa menggantinya dengan /bahasa.",
				"The bot's language for participants: id (Indonesian) or en (English). People can switch with /bahasa."},
			ask:   initText{"Bahasa (id/en)", "Language (id/en)"},
			wrong: initText{"Tulis id atau en.", "Type id or en."},
			def:   func(a *initAnswers) string { return a.Language },
			set: func(a *initAnswers, s string, _ *initSession) error {
				a.Language = strings.ToLower(s)
				return nil
			},
		},
		{
			keys: []string{"store.path"},
			help: initText{
				"Di mana database disimpan? Biarkan daftar.db (di samping config) di PC Windows; di server Linux dengan deploy/daftar.service tulis /var/lib/daftar/daftar.db.\n  Cadangan harian masuk ke folder backup di sampingnya.",
				"Where is the database kept? Keep daftar.db (beside the config) on a Windows PC; on a Linux server with deploy/daftar.service type /var/lib/daftar/daftar.db.\n  Daily backups go to a folder backups beside it."},
			ask:   initText{"File database", "Database file"},
			wrong: initText{"Tulis nama file, misalnya daftar.db.", "Type a file name, e.g. daftar.db."},
			def:   func(a *initAnswers) string { return a.StorePath },
			set:   setText(func(a *initAnswers) *string { return &a.StorePath }),
		},
		{
			keys: []string{"telegram.admins"},
			help: initText{
				"Panitia: nomor ID Telegram mereka (angka, bukan @nama). Hanya mereka yang bisa memakai /peserta, /umumkan, /absen, /ekspor.\n  Cara tahu ID: jalankan bot, kirim /id kepadanya, dan bot menjawab dengan ID Anda.\n  Pisahkan beberapa ID dengan koma. Kosongkan jika belum tahu (isi nanti di telegram.admins).",
				"Organisers: their Telegram ids (numbers, not @names). Only they can use /peserta, /umumkan, /absen, /ekspor.\n  To find an id: start the bot, send it /id, and it answers with your id.\n  Separate several ids with commas. Leave empty if you do not know yet (fill in telegram.admins later)."},
			ask:   initText{"ID Telegram panitia", "Organisers' Telegram ids"},
			wrong: initText{"ID adalah angka saja, misalnya 123456789; pisahkan dengan koma.", "An id is digits only, like 123456789; separate them with commas."},
			set: func(a *initAnswers, s string, _ *initSession) error {
				a.Admins = nil
				for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
					id, err := strconv.ParseInt(f, 10, 64)
					if err != nil {
						return errWrong
					}
					a.Admins = append(a.Admins, id)
				}
				return nil
			},
		},
		{
			keys: []string{"form.fields"},
			help: presetsHelp(),
			ask:  initText{"Formulir (nomor)", "Form (number)"},
			wrong: initText{fmt.Sprintf("Tulis nomor formulir, 1 sampai %d.", len(formPresets)),
				fmt.Sprintf("Type the number of a form, 1 to %d.", len(formPresets))},
			def: func(a *initAnswers) string { return strconv.Itoa(a.Preset + 1) },
			set: func(a *initAnswers, s string, _ *initSession) error {
				n, err := strconv.Atoi(s)
				if err != nil || n < 1 || n > len(formPresets) {
					return errWrong
				}
				a.Preset = n - 1
				return nil
			},
		},
		{
			keys: []string{"course.shared_with"},
			help: initText{
				"Apakah data peserta diberikan kepada pihak lain (misalnya Kemnaker lewat SIAPkerja, dinas provinsi)? Ini disebut di teks persetujuan (UU PDP).\n  Tulis siapa, atau - jika tidak diberikan kepada siapa pun.",
				"Is the participants' data given to anyone else (e.g. the ministry through SIAPkerja, the provincial office)? The consent text says so (UU PDP).\n  Type who, or - when it goes to nobody."},
			ask:   initText{"Data diberikan kepada", "Data shared with"},
			wrong: initText{"Tulis kepada siapa data diberikan, atau - jika tidak kepada siapa pun.", "Type who gets the data, or - for nobody."},
			def: func(a *initAnswers) string {
				if a.SharedWith == "" {
					return "-"
				}
				return a.SharedWith
			},
			set: setOptional(func(a *initAnswers) *string { return &a.SharedWith }),
		},
		{
			help: initText{
				"Token bot dari @BotFather (seperti 123456789:AAH...). Jika diisi, disimpan di file " + initTokenFile + " di samping config (hanya bisa dibaca akun ini).\n  Kosongkan untuk memberikannya nanti lewat TELEGRAM_BOT_TOKEN (di server: /etc/daftar/token).",
				"The bot token from @BotFather (like 123456789:AAH...). If given, it is kept in the file " + initTokenFile + " beside the config (readable by this account only).\n  Leave empty to give it later in TELEGRAM_BOT_TOKEN (on a server: /etc/daftar/token)."},
			ask: initText{"Token bot (boleh kosong)", "Bot token (may be empty)"},
			wrong: initText{"Itu bukan token bot: token dari @BotFather berupa angka, titik dua, lalu huruf/angka tanpa spasi. Salin lagi seluruhnya.",
				"That is not a bot token: @BotFather gives digits, a colon, then letters and digits without spaces. Copy it again, whole."},
			set: func(a *initAnswers, s string, sess *initSession) error {
				a.Token = s
				if s == "" {
					return nil
				}
				if !wellFormedToken(s) {
					return errWrong
				}
				if _, err := os.Stat(sess.tokenPath); err == nil && !sess.force {
					return errors.New(fmt.Sprintf(txtTokenExists.in(sess.lang), sess.tokenPath))
				}
				return nil
			},
		},
	}
}

// indonesianZones are Indonesia's three time zones by their usual names.
var indonesianZones = map[string]string{"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

// setText sets a string answer; an empty one is refused.
func setText(field func(*initAnswers) *string) func(*initAnswers, string, *initSession) error {
	return func(a *initAnswers, s string, _ *initSession) error {
		if s == "" {
			return errWrong
		}
		*field(a) = s
		return nil
	}
}

// setOptional sets a string answer that may be empty: "-" is nothing.
func setOptional(field func(*initAnswers) *string) func(*initAnswers, string, *initSession) error {
	return func(a *initAnswers, s string, _ *initSession) error {
		if s == "" {
			return errWrong
		}
		if s == "-" {
			s = ""
		}
		*field(a) = s
		return nil
	}
}

// setInt sets a whole-number answer; its range is the validator's to check.
func setInt(field func(*initAnswers) *int) func(*initAnswers, string, *initSession) error {
	return func(a *initAnswers, s string, _ *initSession) error {
		n, err := strconv.Atoi(s)
		if err != nil {
			return errWrong
		}
		*field(a) = n
		return nil
	}
}

// setClock sets a time of day, taking 8.00 (the Indonesian way) and 8:00
// for 08:00; the validator checks the rest.
func setClock(field func(*initAnswers) *string) func(*initAnswers, string, *initSession) error {
	return func(a *initAnswers, s string, _ *initSession) error {
		s = strings.ReplaceAll(s, ".", ":")
		if len(s) == 4 && s[1] == ':' {
			s = "0" + s
		}
		*field(a) = s
		return nil
	}
}

// parseDay reads a date as Indonesians write it (01-02-2027, 1/2/2027,
// 1.2.2027: day first) or as TOML does (2027-02-01).
func parseDay(s string) (toml.LocalDate, bool) {
	for _, layout := range []string{"2006-01-02", "2-1-2006", "2/1/2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return toml.LocalDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}, true
		}
	}
	return toml.LocalDate{}, false
}

// slug makes a batch id out of a batch name: "Angkatan 1" is "angkatan-1".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	s := b.String()
	if len(s) > 32 {
		s = strings.TrimRight(s[:32], "-")
	}
	return s
}

// The texts of init that are not a question's.
var (
	txtIntro = initText{
		"daftar init: membuat config.toml untuk bot pendaftaran Anda.\nJawab setiap pertanyaan lalu tekan Enter. Jawaban dalam [kurung] dipakai jika Anda langsung menekan Enter.\nSemua bisa diubah nanti di config.toml.",
		"daftar init: writes config.toml for your registration bot.\nAnswer each question and press Enter. The answer in [brackets] is taken when you just press Enter.\nEverything can be changed later in config.toml."}
	txtExists = initText{
		"%s sudah ada dan tidak ditimpa. Pakai -force untuk menimpanya, atau -config FILE untuk file lain.",
		"%s exists and is left alone. Use -force to overwrite it, or -config FILE for another file."}
	txtTokenExists = initText{
		"File token %s sudah ada dan tidak ditimpa: kosongkan jawaban ini (token lama tetap dipakai lewat TELEGRAM_BOT_TOKEN atau token_file), atau ulangi dengan -force.",
		"The token file %s exists and is left alone: leave this answer empty, or run again with -force."}
	txtEOF = initText{
		"masukan berakhir sebelum semua pertanyaan terjawab; tidak ada file yang ditulis.",
		"the input ended before every question was answered; nothing was written."}
	txtWritten = initText{"%s sudah ditulis. Pemeriksaan (sama seperti daftar check):", "%s written. The check (as daftar check does it):"}
	txtNextEnv = initText{
		"Langkah berikutnya: berikan token bot lewat TELEGRAM_BOT_TOKEN, lalu jalankan: daftar run -config %s\n(lihat PANDUAN.md)",
		"Next: give the bot token in TELEGRAM_BOT_TOKEN, then run: daftar run -config %s\n(see PANDUAN.md)"}
	txtNextRun = initText{
		"Langkah berikutnya: jalankan bot dengan: daftar run -config %s\n(lihat PANDUAN.md)",
		"Next: run the bot with: daftar run -config %s\n(see PANDUAN.md)"}
)
