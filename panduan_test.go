package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// panduanText returns PANDUAN.md as it reads: without the Markdown marks
// around the quoted chats, and with its lines joined (a quote may wrap).
func panduanText(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("PANDUAN.md")
	if err != nil {
		tb.Fatal(err)
	}
	s := strings.NewReplacer("**", "", "<br>", "", "`", "").Replace(string(b))
	var out strings.Builder
	for line := range strings.Lines(s) {
		out.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, ">"), " "))
	}
	return strings.Join(strings.Fields(out.String()), " ")
}

// oneCourse is the sewing course alone, as the guide's chats show it: a
// config made by daftar init has one course.
var oneCourse = filepath.Join("testdata", "config-one-course.toml")

// Ensure that what PANDUAN.md quotes the bot saying is what the bot says:
// each text is in the guide and in the demo's transcript of the same chat.
func TestPanduan_QuotesTheBot(t *testing.T) {
	guide := panduanText(t)
	check := func(t *testing.T, transcript string, says ...string) {
		t.Helper()
		transcript = strings.Join(strings.Fields(transcript), " ") // a quote may span lines, as in the guide
		for _, s := range says {
			if !strings.Contains(guide, s) {
				t.Errorf("PANDUAN.md does not quote %q", s)
			}
			if !strings.Contains(transcript, s) {
				t.Errorf("the bot does not say %q:\n%s", s, transcript)
			}
		}
	}

	t.Run("participant and organiser", func(t *testing.T) {
		script := "1\n1\nSi\nSiti Aminah\n/kontak\n3509015708900001\n17-08-1990\nJl. Mawar 5, Patrang\n2\n1\n" +
			"/peserta\n2\n/umumkan\nBesok bawa kain sendiri ya.\n1\n1\n/xyz\n/id\n/hapusdata\n1\n"
		out, _, err := runDemoScript(t, script, noEnv, "-config", oneCourse)
		if err != nil {
			t.Fatal(err)
		}
		check(t, out,
			"Selamat datang! 👋", "Penyelenggara: Diskopum Kabupaten Jember & UPT BLK Jember",
			"• Angkatan 2: 1–7 Feb 2027, pukul 08:00–15:00 — sisa 16 kursi",
			"Tekan Daftar untuk mendaftar. Pendaftaran hanya butuh beberapa menit.",
			"Pertanyaan 1 dari 6", "Nama lengkap (sesuai KTP)", "Jawaban terlalu pendek: minimal 3 huruf. Pertanyaan 1 dari 6",
			"Nomor +6281234567890 tersimpan. Pertanyaan 3 dari 6 NIK (nomor induk kependudukan) 16 digit angka, seperti tertulis di KTP. Ketik Kembali untuk kembali ke langkah sebelumnya, atau Batal untuk berhenti.",
			"✅ Pendaftaran berhasil!", "Angkatan 2 — kursi nomor 1", "📅 1–7 Feb 2027", "🕗 08:00–15:00",
			"Kami akan mengirim pengingat sebelum setiap hari pelatihan. Ketik /status kapan saja untuk melihat pendaftaran Anda.",
			"👥 Daftar peserta angkatan mana?",
			"👥 Angkatan 2: 1/16 kursi terisi, 0 menunggu, 0 batal — halaman 1/1",
			"1. Siti Aminah · +6281234567890 · terdaftar", "Ketuk nama untuk melihat semua jawabannya.",
			"📣 Kirim pesan pengumumannya sekarang: teks, foto dengan keterangan, dokumen, pesan suara atau lokasi. Pesan Anda berikutnya menjadi pengumuman; belum ada yang terkirim sebelum Anda menekan Kirim. Ketik /batal untuk membatalkan.",
			"Kirim pengumuman ini kepada siapa?", "Semua peserta (1)", "Daftar tunggu (0)", "Semua yang pernah mendaftar (1)",
			"Penerima: semua peserta (1 orang).",
			"👆 Begini pengumuman akan diterima. Kirim ke semua peserta (1 orang)?",
			"📣 Pengumuman #1 untuk semua peserta masuk antrean: 1 penerima.",
			"Perintah itu tidak dikenal. Ketik /bantuan untuk melihat daftar perintah.",
			"🪪 ID Telegram Anda: ",
			"Hapus semua data Anda?",
			"Semua yang kami simpan tentang Anda — jawaban formulir, pendaftaran, kursi atau tempat di daftar tunggu, absensi, pilihan bahasa — akan dihapus permanen, dan persetujuan Anda dianggap ditarik. Yang tersisa hanya hitungan anonim untuk statistik panitia.",
			"Data Anda sudah dihapus. Ketik /start kapan saja jika ingin mendaftar lagi.",
		)
	})

	// The roll call needs a running batch: register before it starts,
	// then come back on its first day, when it is closed (so that the
	// demo does not move it ahead).
	t.Run("roll call", func(t *testing.T) {
		example, err := os.ReadFile(oneCourse)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		before := filepath.Join(dir, "before.toml")
		during := filepath.Join(dir, "during.toml")
		closed := strings.Replace(string(example), "capacity = 16\ndaily_start = \"08:00\"\ndaily_end = \"15:00\"\nopen = true",
			"capacity = 16\ndaily_start = \"08:00\"\ndaily_end = \"15:00\"\nopen = false", 1)
		if closed == string(example) {
			t.Fatal(oneCourse + " has no open batch to close")
		}
		for path, body := range map[string]string{before: string(example), during: closed} {
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		db := filepath.Join(dir, "demo.db")
		register := "1\n1\nSiti Aminah\n/kontak\n3509015708900001\n17-08-1990\nJl. Mawar 5, Patrang\n2\n1\n"
		if _, _, err := runDemoScript(t, register, noEnv, "-config", before, "-db", db, "-now", "2027-01-20T10:00"); err != nil {
			t.Fatal(err)
		}
		out, _, err := runDemoScript(t, "/absen\n1\n", noEnv, "-config", during, "-db", db, "-now", "2027-02-01T09:00")
		if err != nil {
			t.Fatal(err)
		}
		check(t, out,
			"📋 Absensi Angkatan 2 — hari 1 dari 7, Senin, 1 Feb 2027",
			"Hadir: 0 dari 1. Ketuk nama untuk menandai hadir ✅ atau tidak hadir ⬜.",
			"Hadir: 1 dari 1. Ketuk nama untuk menandai hadir ✅ atau tidak hadir ⬜.",
			"⬜ 1. Siti Aminah", "✅ 1. Siti Aminah",
		)
	})
}
