// The reader's AI tests' 12-episode serial: every episode brings in a new character, so a name
// tells which episode a text comes from.
export const NAMES = ['해진', '도윤', '서연', '민호', '지우', '하람', '채원', '태오', '소율', '건우', '예린', '무진'];
export const episodeText = (i) => [
  `${i + 1}화가 시작되었다. 비가 그치지 않는 밤이었다.`,
  `${NAMES[i]}은 처음 보는 얼굴이었다. 우체국 문을 열고 들어온 사람은 ${NAMES[i]}이었다.`,
  `"편지 왔어요." 창구 너머에서 누군가 조용히 말했다. 낡은 등불이 흔들렸다.`,
  `${NAMES[i]}은 봉투를 오래 바라보다가 주머니에 넣었다. 그날 밤 우체국의 시계는 멈추지 않았다.`,
].join('\n');
