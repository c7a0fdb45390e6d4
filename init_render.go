package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// renderConfig writes the config of a, commented for the person who will
// edit it, in the language of init's questions. It writes the
// single-course form ([course], [[course.batches]], [[form.fields]]).
func renderConfig(a *initAnswers, lang string) string {
	var b strings.Builder
	c := func(id, en string) { b.WriteString("# " + initText{id, en}.in(lang) + "\n") }
	kv := func(key, value, id, en string) {
		line := key + " = " + value
		if id != "" {
			line = fmt.Sprintf("%-38s # %s", line, initText{id, en}.in(lang))
		}
		b.WriteString(line + "\n")
	}
	str := tomlString

	c("Config daftar, dibuat oleh daftar init. Periksa setelah diubah: daftar check -config config.toml",
		"daftar config, written by daftar init. Check it after editing: daftar check -config config.toml")
	c("config.example.toml menjelaskan setiap kunci. Token bot tidak ditulis di sini.",
		"config.example.toml documents every key. The bot token is not written here.")
	b.WriteString("\n[telegram]\n")
	token := `""`
	if a.Token != "" {
		token = str(initTokenFile)
	}
	kv("token_file", token, "file berisi token bot; TELEGRAM_BOT_TOKEN lebih diutamakan",
		"file holding the bot token; TELEGRAM_BOT_TOKEN wins")
	c("ID Telegram panitia (angka). Kirim /id ke bot untuk tahu ID Anda.",
		"Organisers' Telegram ids (numbers). Send /id to the bot to learn yours.")
	ids := make([]string, len(a.Admins))
	for i, id := range a.Admins {
		ids[i] = strconv.FormatInt(id, 10)
	}
	kv("admins", "["+strings.Join(ids, ", ")+"]", "", "")

	b.WriteString("\n[store]\n")
	kv("path", str(a.StorePath), "database; relatif terhadap file ini", "the database; relative to this file")
	kv("backup_dir", str(filepath.Join(filepath.Dir(a.StorePath), "backups")), "cadangan otomatis harian masuk ke sini", "daily automatic backups go here")
	kv("backup_keep", "7", "berapa cadangan disimpan", "how many backups to keep")

	b.WriteString("\n[course]\n")
	kv("title", str(a.Title), "", "")
	kv("organiser", str(a.Organiser), "", "")
	kv("venue", str(a.Venue), "", "")
	kv("timezone", str(a.Timezone), "jadwal dan pengingat memakai zona ini", "dates and reminders use it")
	kv("language", str(a.Language), "id | en: bahasa peserta sampai mereka memilih", "id | en: people's language until they choose")
	kv("bring", str(a.Bring), "disebut di pengingat", "said in reminders")
	kv("contact", str(a.Contact), "kontak panitia: di /bantuan, /status dan pengingat", "the organisers' contact: in /bantuan, /status and reminders")
	kv("purpose", `""`, "untuk apa data dipakai (teks persetujuan); \"\" = pendaftaran dan pelaksanaan", `what the data is for (consent text); "" = registration and the course`)
	kv("shared_with", str(a.SharedWith), "siapa lagi yang menerima data (teks persetujuan); \"\" = tidak ada", `who else gets the data (consent text); "" = nobody`)
	kv("certificate_min_days", strconv.Itoa(a.CertificateMinDays), "hari hadir untuk sertifikat", "days present for a certificate")
	kv("claim_hours", "24", "jam untuk mengambil kursi yang ditawarkan dari daftar tunggu", "hours to take a seat offered from the waiting list")
	kv("retention_days", "365", "hari data pribadi disimpan setelah angkatan selesai", "days personal data is kept after a batch ends")

	b.WriteString("\n")
	c("Setiap angkatan: salin blok [[course.batches]] ini untuk angkatan berikutnya (kode lain).",
		"Each batch: copy this [[course.batches]] block for the next one (with another id).")
	b.WriteString("[[course.batches]]\n")
	kv("id", str(a.BatchID), "huruf kecil, angka, -: dipakai di tautan t.me/<bot>?start=<id>", "[a-z0-9-]: used in links t.me/<bot>?start=<id>")
	kv("name", str(a.BatchName), "", "")
	if a.Start != nil {
		kv("start", a.Start.String(), "tahun-bulan-hari, tanpa tanda kutip", "year-month-day, no quotes")
	}
	kv("days", strconv.Itoa(a.Days), "hari sesi, dihitung dari start", "session days, counted from start")
	if len(a.SkipWeekdays) > 0 {
		kv("skip_weekdays", tomlStrings(a.SkipWeekdays), "hari libur mingguan", "days of the week without sessions")
	}
	c("holidays = [2027-02-17]              # tanggal libur (tanggal merah) di antara hari sesi",
		"holidays = [2027-02-17]              # dates without sessions (public holidays)")
	kv("capacity", strconv.Itoa(a.Capacity), "jumlah kursi", "seats")
	kv("daily_start", str(a.DailyStart), "", "")
	kv("daily_end", str(a.DailyEnd), "", "")
	kv("open", "true", "menerima pendaftaran (/tutup dan /buka di bot)", "takes registrations (/tutup and /buka in the bot)")

	b.WriteString("\n[reminders]\n")
	kv("evening_before", str("0 19 * * *"), "pengingat malam sebelum setiap hari: pukul 19:00", "the evening before each day: 19:00")
	kv("morning_of", str("0 6 * * *"), "pengingat pagi hari itu: pukul 06:00", "the morning of each day: 06:00")

	b.WriteString("\n[export]\n")
	kv("separator", str(","), "pemisah kolom CSV; \";\" untuk Excel berbahasa Indonesia", `the CSV's field separator; ";" for Excel set to Indonesian`)

	p := formPresets[a.Preset]
	b.WriteString("\n")
	c("Formulir pendaftaran ("+p.name.id+"), ditanyakan satu per satu dalam urutan ini.",
		"The registration form ("+p.name.en+"), asked one question at a time in this order.")
	c("kind: text | phone | nik | date | choice | number. label: pertanyaannya; key: nama kolom di ekspor.",
		"kind: text | phone | nik | date | choice | number. label: the question; key: the export column.")
	for _, f := range p.fields {
		b.WriteString("\n[[form.fields]]\n")
		kv("key", str(f.Key), "", "")
		kv("kind", str(f.Kind), "", "")
		kv("label", str(f.Label), "", "")
		if f.LabelEN != "" {
			kv("label_en", str(f.LabelEN), "", "")
		}
		if f.Min != 0 || f.Max != 0 {
			kv("min", strconv.Itoa(f.Min), "", "")
			kv("max", strconv.Itoa(f.Max), "", "")
		}
		if len(f.Options) > 0 {
			kv("options", tomlStrings(f.Options), "", "")
		}
		if len(f.OptionsEN) > 0 {
			kv("options_en", tomlStrings(f.OptionsEN), "", "")
		}
		if f.Optional {
			kv("optional", "true", "boleh dilewati", "may be skipped")
		}
	}
	return b.String()
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tomlStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// formPreset is a registration form init offers.
type formPreset struct {
	name   initText
	about  initText
	fields []FieldConfig
}

// formPresets are the forms init offers. The first is the Jember sewing
// course's form, as in config.example.toml (TestInit_Presets holds them
// equal).
var formPresets = []formPreset{
	{
		name:  initText{"kursus menjahit", "sewing course"},
		about: initText{"nama, HP, NIK, tanggal lahir, alamat, pengalaman menjahit", "name, phone, NIK, date of birth, address, sewing experience"},
		fields: []FieldConfig{
			{Key: "name", Kind: "text", Label: "Nama lengkap (sesuai KTP)", LabelEN: "Full name (as on your ID card)", Min: 3, Max: 80},
			{Key: "phone", Kind: "phone", Label: "Nomor HP/WhatsApp", LabelEN: "Mobile/WhatsApp number"},
			{Key: "nik", Kind: "nik", Label: "NIK (nomor induk kependudukan)", LabelEN: "NIK (national identity number)"},
			{Key: "birth_date", Kind: "date", Label: "Tanggal lahir", LabelEN: "Date of birth"},
			{Key: "address", Kind: "text", Label: "Alamat (desa/kelurahan, kecamatan)", LabelEN: "Address (village, district)"},
			{Key: "experience", Kind: "choice", Label: "Pengalaman menjahit", LabelEN: "Sewing experience",
				Options: []string{"Belum pernah", "Pemula", "Sudah bisa"}, OptionsEN: []string{"Never", "Beginner", "Can already sew"}},
		},
	},
	{
		name:  initText{"singkat", "minimal"},
		about: initText{"nama dan nomor HP saja", "name and phone number only"},
		fields: []FieldConfig{
			{Key: "name", Kind: "text", Label: "Nama lengkap", LabelEN: "Full name", Min: 3, Max: 80},
			{Key: "phone", Kind: "phone", Label: "Nomor HP/WhatsApp", LabelEN: "Mobile/WhatsApp number"},
		},
	},
	{
		name: initText{"pelatihan kerja umum", "general vocational training"},
		about: initText{"nama, NIK, tanggal lahir, jenis kelamin, HP, alamat, pendidikan, pekerjaan",
			"name, NIK, date of birth, sex, phone, address, education, employment"},
		fields: []FieldConfig{
			{Key: "name", Kind: "text", Label: "Nama lengkap (sesuai KTP)", LabelEN: "Full name (as on your ID card)", Min: 3, Max: 80},
			{Key: "nik", Kind: "nik", Label: "NIK (nomor induk kependudukan)", LabelEN: "NIK (national identity number)"},
			{Key: "birth_date", Kind: "date", Label: "Tanggal lahir", LabelEN: "Date of birth"},
			{Key: "sex", Kind: "choice", Label: "Jenis kelamin", LabelEN: "Sex",
				Options: []string{"Laki-laki", "Perempuan"}, OptionsEN: []string{"Male", "Female"}},
			{Key: "phone", Kind: "phone", Label: "Nomor HP/WhatsApp", LabelEN: "Mobile/WhatsApp number"},
			{Key: "address", Kind: "text", Label: "Alamat (desa/kelurahan, kecamatan)", LabelEN: "Address (village, district)"},
			{Key: "education", Kind: "choice", Label: "Pendidikan terakhir", LabelEN: "Highest education",
				Options: []string{"SD", "SMP", "SMA/SMK", "D1-D3", "S1 ke atas"}, OptionsEN: []string{"Primary", "Junior high", "Senior/vocational high", "Diploma", "Degree or higher"}},
			{Key: "employment", Kind: "choice", Label: "Status pekerjaan", LabelEN: "Employment",
				Options: []string{"Belum bekerja", "Bekerja", "Wirausaha"}, OptionsEN: []string{"Not working", "Employed", "Self-employed"}},
		},
	},
}

// presetsHelp lists the forms for the form question.
func presetsHelp() initText {
	var id, en strings.Builder
	id.WriteString("Formulir pendaftaran: pilih salah satu (bisa diubah nanti di [[form.fields]]).")
	en.WriteString("The registration form: pick one (change it later in [[form.fields]]).")
	for i, p := range formPresets {
		fmt.Fprintf(&id, "\n  %d. %s: %s", i+1, p.name.id, p.about.id)
		fmt.Fprintf(&en, "\n  %d. %s: %s", i+1, p.name.en, p.about.en)
	}
	return initText{id.String(), en.String()}
}
