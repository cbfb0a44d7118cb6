// Stylesheets are bundled as text (esbuild's text loader) and put into each output's shadow root.
declare module '*.css' {
  const text: string;
  export default text;
}
