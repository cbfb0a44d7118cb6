// traffic-type-channel and sender-type-channel: a WhatsApp or RCS traffic type needs its channel in
// channelCode; sender type DOMAIN needs EMAIL, and phone sender types need a channel other than Email.
import type { CatalogIndex } from '../../catalog/catalogIndex.js';
import type { Located } from '../../syntax/ast.js';
import type { ChannelSelection } from '../model.js';
import { diag, listText, type Rule } from './types.js';

function channelName(index: CatalogIndex, family: string): string {
  return index.channels.get(family)?.name ?? family;
}

/** Related information for a diagnostic: the conditions that chose the channels (built only when reporting). */
function chosenHere(sel: ChannelSelection): { at: Located; message: string }[] {
  return sel.conditions.map((x) => ({ at: x.node, message: 'channels chosen here' }));
}

const VOWEL_START = /^[AEIOUR]/; // "an RCS ..."

function channelLabel(index: CatalogIndex, family: string): string {
  return index.channels.get(family)?.displayName ?? family;
}

export const trafficSenderRule: Rule = {
  id: 'trafficSender',
  codes: ['traffic-type-channel', 'sender-type-channel'],
  checks: {
    Condition(c, rc) {
      const sel = rc.model.channels;
      if (!sel || !c.operatorOk) return;
      for (const v of c.values) {
        const tt = v.trafficType;
        if (tt && !sel.families.has(tt.family)) {
          const ch = channelName(rc.catalog, tt.family);
          rc.accept(
            diag(
              'traffic-type-channel',
              v.node,
              `${tt.name} is a${VOWEL_START.test(channelLabel(rc.catalog, tt.family)) ? 'n' : ''} ${channelLabel(rc.catalog, tt.family)} traffic type, but channelCode does not include ${ch} (it selects ${sel.codes.join(', ')}), so nothing can match. ` +
                `Add ${ch} to channelCode or remove ${tt.name}.`,
              { data: { value: tt.name, addChannel: ch }, related: chosenHere(sel) },
            ),
          );
        }
        const st = v.senderType;
        if (!st) continue;
        const email = rc.catalog.known.emailFamily;
        if (st.kind === 'email' && !sel.families.has(email)) {
          rc.accept(
            diag(
              'sender-type-channel',
              v.node,
              `${st.name} senders are Email sending domains, but channelCode does not include ${channelName(rc.catalog, email)} (it selects ${sel.codes.join(', ')}). ` +
                `Add ${channelName(rc.catalog, email)} to channelCode or remove ${st.name}.`,
              { data: { value: st.name, addChannel: channelName(rc.catalog, email) }, related: chosenHere(sel) },
            ),
          );
        } else if (st.kind === 'phone' && [...sel.families].every((f) => f === email)) {
          rc.accept(
            diag(
              'sender-type-channel',
              v.node,
              `${st.name} is a phone-number sender type, but the query only selects ${listText(sel.codes)}, whose senders are domains. ` +
                `Use senderTypes = DOMAIN, or add a messaging channel such as SMS to channelCode.`,
              { data: { value: st.name, suggestions: ['DOMAIN'] }, related: chosenHere(sel) },
            ),
          );
        }
      }
    },
  },
};
