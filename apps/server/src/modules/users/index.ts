import { defineModule } from '../../platform/module.ts';
import { usersRoutes } from './users.routes.ts';

export { createUser } from './users.service.ts';
export {
  findUser,
  insertUser,
  toUser,
  updateUser as updateUserRow,
  isDuplicateEmail,
} from './users.repo.ts';

/** Users: Steward sign-in accounts and their roles. */
export const usersModule = defineModule({ name: 'users', routes: usersRoutes });
