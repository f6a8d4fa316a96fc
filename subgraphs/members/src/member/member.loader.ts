import { byIdLoader } from "../../../../shared/src/loaders";
import type { MemberService } from "./member.service";
import { Member } from "./member.type";

export const createMemberLoader = (members: MemberService) => byIdLoader(async (ids) => (await members.findByIds(ids)).map(Member.from));
