// scratch: dump trimmed frame-level data per clip for python exploration
#include <cstdio>
#include <string>
#include <vector>
#include "audio.h"
#include "features.h"
#include "feature_config.h"
#include "pitch.h"
#include "trim.h"
using namespace ser;
int main(int argc, char** argv) {
    FeatureExtractor ex(config_c2());
    PitchTracker pt;
    for (int i = 1; i < argc; i += 2) {
        auto a = load_audio_16k_file(argv[i]);
        if (!a) { fprintf(stderr, "fail %s\n", argv[i]); continue; }
        const float* y = a.value.samples.data(); size_t n = a.value.samples.size();
        auto r = trim_silence(y, n, 40.0f, 512, 160);
        if (r && r.value.length() >= 1600) { y += r.value.start; n = r.value.length(); }
        FrameFeatures f; PitchTrack tr;
        ex.compute(y, n, f); pt.compute(y, n, tr);
        int T = std::min(f.n_frames, tr.n_frames());
        FILE* o = fopen(argv[i+1], "wb");
        int hdr[2] = {T, 257 + 64 + 20 + 5};
        fwrite(hdr, 4, 2, o);
        std::vector<float> row(hdr[1]);
        for (int t = 0; t < T; ++t) {
            int k = 0;
            for (int b = 0; b < 257; ++b) row[k++] = f.stft_mag(b, t);
            for (int b = 0; b < 64; ++b) row[k++] = f.melspec_db(b, t);
            for (int b = 0; b < 20; ++b) row[k++] = f.mfcc(b, t);
            row[k++] = tr.f0_hz[t]; row[k++] = tr.voiced[t]; row[k++] = tr.voiced_prob[t];
            row[k++] = tr.aperiodicity[t]; row[k++] = f.rms(0, t);
            fwrite(row.data(), 4, row.size(), o);
        }
        fclose(o);
    }
}
