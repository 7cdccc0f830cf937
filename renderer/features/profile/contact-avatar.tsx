// A contact's picture where one is announced (else their initials), e.g. in the chat header.
import { Avatar, type AvatarProps } from '../../ui/avatar';
import { useAvatarUrl } from './use-avatar';

export function ContactAvatar({ jid, name, size }: { jid: string; name: string; size?: AvatarProps['size'] }) {
  const src = useAvatarUrl(jid);
  return <Avatar name={name} colorKey={jid} size={size} src={src} />;
}
