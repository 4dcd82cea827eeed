export { fromGramJs, type GramJsClient } from './gramjs';
export { fromMtcute, type MtcuteClient } from './mtcute';
