// The Slaney mel scale (librosa.hz_to_mel / mel_to_hz, htk=False): one definition for the mel
// filterbank (frames/tables.cpp) and for placing Hz labels on a mel view (classify/views.h).
#pragma once

namespace ser {

double hz_to_mel(double f_hz);
double mel_to_hz(double mel);

}  // namespace ser
