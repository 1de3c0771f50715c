// AudioWorklet for the microphone: downmixes each 128-frame render quantum to mono and posts
// Float32 chunks of CHUNK frames, at the AudioContext's own rate, to the live-analysis worker
// (web/live-worker.js) when the page hands this node a port to it, else to the page. Either runs
// the core's ser::LiveAnalyser (which resamples to 16 kHz). No ScriptProcessorNode.
const CHUNK = 2048;

class SerRecorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buffer = new Float32Array(CHUNK);
    this.fill = 0;
    this.running = true;
    this.out = this.port;
    this.port.onmessage = (e) => {
      if (e.data === 'stop') this.running = false;
      else if (e.data && e.data.port) this.out = e.data.port;
    };
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
          this.out.postMessage(this.buffer, [this.buffer.buffer]);
          this.buffer = new Float32Array(CHUNK);
          this.fill = 0;
        }
      }
    }
    return this.running;
  }
}

registerProcessor('ser-recorder', SerRecorder);
