// AudioWorklet for the microphone: downmixes each 128-frame render quantum to mono and posts
// Float32 chunks of CHUNK frames, at the AudioContext's own rate, to the page, which hands them
// to the core (ser::LiveAnalyser resamples to 16 kHz). No ScriptProcessorNode.
const CHUNK = 2048;

class SerRecorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buffer = new Float32Array(CHUNK);
    this.fill = 0;
    this.running = true;
    this.port.onmessage = (e) => { if (e.data === 'stop') this.running = false; };
  }

  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0) {
      const n = input[0].length;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let c = 0; c < input.length; c++) v += input[c][i];
        this.buffer[this.fill++] = v / input.length;
        if (this.fill === CHUNK) {
          this.port.postMessage(this.buffer, [this.buffer.buffer]);
          this.buffer = new Float32Array(CHUNK);
          this.fill = 0;
        }
      }
    }
    return this.running;
  }
}

registerProcessor('ser-recorder', SerRecorder);
