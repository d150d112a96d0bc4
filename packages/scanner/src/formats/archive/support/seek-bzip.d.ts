declare module 'seek-bzip' {
  interface ByteSink {
    writeByte(byte: number): void;
  }
  const Bunzip: {
    decode(
      input: Buffer,
      output?: ByteSink | Buffer | number,
      multistream?: boolean,
    ): Buffer | undefined;
  };
  export default Bunzip;
}
