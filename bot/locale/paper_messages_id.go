package locale

var paperMessagesID = paperMessagesIDFor(wordID(""))

// paperMessagesIDFor is the catalogue with w as the word for a batch.
func paperMessagesIDFor(w batchWord) PaperMessages {
	return PaperMessages{
		CmdCertificate:     "Sertifikat saya",
		CmdVerify:          "Periksa keaslian sertifikat",
		CmdCertificates:    "Sertifikat per " + w.lower + " (kirim ke peserta)",
		CmdAttendanceSheet: "Daftar hadir (PDF)",
		CmdReport:          "Laporan kegiatan (PDF)",

		CertSending:        "📜 Sertifikat <b>%s</b> Anda (nomor %s) dikirim sebagai PDF sebentar lagi.",
		CertNotYet:         "Sertifikat <b>%s</b> dibuat setelah sesi terakhir selesai (%s). Kehadiran Anda sejauh ini: %d dari %d hari; syaratnya hadir minimal %d hari.",
		CertTooFew:         "Belum ada sertifikat <b>%s</b> untuk Anda: Anda tercatat hadir %d dari %d hari, syaratnya minimal %d hari. Jika catatan ini keliru, hubungi panitia.",
		CertNotSeated:      "Sertifikat <b>%s</b> hanya untuk peserta yang mendapat kursi dan hadir.",
		CertNone:           "Pelatihan ini tidak memberikan sertifikat.",
		CertNoRegistration: "Anda belum terdaftar di " + w.lower + " mana pun, jadi belum ada sertifikat. Ketik /start untuk mendaftar.",
		CertCaption:        "Sertifikat %s, %s\nNomor %s · kode verifikasi <code>%s</code>",

		VerifyAsk:      "Kirim <code>/cek KODE</code> dengan kode verifikasi yang tertulis di sertifikat (12 huruf dan angka), atau pindai kode QR-nya.",
		VerifyFound:    "✅ <b>Sertifikat asli.</b>\nNomor: %s\nNama: %s\nPelatihan: %s\n" + w.Title + ": %s (%s)",
		VerifyNotFound: "❌ Tidak ada sertifikat dengan kode <code>%s</code>. Periksa lagi kodenya. Sertifikat yang datanya sudah dihapus juga tidak bisa diperiksa lagi.",

		CertAskBatch:    "Sertifikat " + w.lower + " mana? Kirim <code>/sertifikat ID</code>, ID salah satu dari: %s",
		CertOrgNotYet:   "<b>%s</b> belum selesai: sertifikat dibuat setelah sesi terakhir (%s).",
		CertOrgSummary:  "📜 <b>Sertifikat %s</b>\nBerhak (hadir minimal %d dari %d hari): <b>%d</b>\nTidak berhak: %d\nSudah diterbitkan: %d\n\n<b>Kirim</b> menerbitkan yang belum ada, mengirim sertifikat masing-masing ke setiap peserta yang berhak, dan PDF gabungan untuk dicetak ke Anda.",
		CertOrgNobody:   "Tidak ada peserta <b>%s</b> yang hadir minimal %d hari: tidak ada sertifikat.",
		CertOrgSent:     "📜 Sertifikat <b>%s</b>: %d diterbitkan, %d masuk antrean kirim ke peserta. PDF gabungan menyusul.",
		CertOrgFailed:   "Maaf, PDF sertifikat gagal dibuat. Coba lagi sebentar lagi.",
		LogCertificates: "sertifikat %s dikirim (%s)",

		SheetAskBatch: "Daftar hadir " + w.lower + " mana? Kirim <code>/daftarhadir ID</code>, ID salah satu dari: %s",
		SheetCaption:  "Daftar hadir %s: %d peserta × %d hari",
		SheetFailed:   "Maaf, daftar hadir gagal dibuat. Coba lagi sebentar lagi.",

		ReportAskBatch: "Laporan " + w.lower + " mana? Kirim <code>/laporan ID</code>, ID salah satu dari: %s",
		ReportCaption:  "Laporan kegiatan %s",
		ReportFailed:   "Maaf, laporan gagal dibuat. Coba lagi sebentar lagi.",

		SurveyIntro:           "📝 <b>Survei %s</b>\nTerima kasih sudah mengikuti <b>%s</b>. Kami ingin tahu pendapat Anda: %d pertanyaan singkat, cukup beberapa menit.",
		SurveyReminder:        "⏰ Pengingat: survei <b>%s</b> (%s) belum Anda isi. Pendapat Anda membantu pelatihan berikutnya.",
		SurveyAnonymous:       "Jawaban disimpan tanpa nama (anonim).",
		SurveyLinked:          "Jawaban disimpan bersama nama Anda, hanya untuk panitia.",
		SurveyQuestion:        "<b>%d/%d.</b> %s",
		SurveyRatingHint:      "Pilih nilai: 1 = buruk, 5 = sangat baik.",
		SurveyChoiceHint:      "Pilih salah satu.",
		SurveyTextHint:        "Ketik jawaban Anda lalu kirim.",
		SurveyOptional:        "Boleh dilewati.",
		SurveyBadRating:       "Nilai itu belum bisa diterima. Tekan salah satu tombol 1 sampai 5 (atau ketik angkanya).",
		SurveyBadChoice:       "Jawaban itu bukan salah satu pilihan. Tekan salah satu tombol di bawah pertanyaan.",
		SurveyBadText:         "Jawaban itu belum bisa diterima. Ketik jawaban Anda sebagai teks, paling banyak %d karakter.",
		SurveyRequired:        "Pertanyaan ini perlu dijawab.",
		SurveyThanks:          "🙏 Terima kasih! Jawaban survei Anda sudah kami terima.",
		SurveyClosed:          "Survei ini sudah ditutup. Terima kasih.",
		SurveyAnswered:        "Anda sudah mengisi survei ini. Terima kasih!",
		MyDataSurvey:          "Survei <b>%s</b>: %s",
		MyDataSurveyOpen:      "belum selesai; jawaban sejauh ini:",
		MyDataSurveyAnonymous: "sudah diisi (jawaban disimpan tanpa nama)",
		MyDataSurveyLinked:    "sudah diisi; jawaban Anda:",
	}
}
